package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** POST/GET /product/status (ecpds -expected/-started/-completed/-reset) on H2 and MariaDB. */
class ProductStatusRestTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static Map<String, Object> body(String status, Object step) {
    Map<String, Object> b = new HashMap<>(Map.of("stream", "oper", "time", "00", "type", "fc", "status", status));
    if (step != null) b.put("step", step);
    return b;
  }

  @ParameterizedTest
  @MethodSource("databases")
  void recordReplaceReadAndReset(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      Map<String, Object> expected = body("expected", 24);
      expected.put("at", 1_796_450_400_000L);
      Reply r = m.call("POST", "product/status", expected);
      assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
      assertThat(r.body().at("/product/status").asText()).isEqualTo("INIT");
      assertThat(m.call("POST", "product/status", body("completed", 24)).body().at("/product/status").asText())
          .isEqualTo("DONE");
      Reply read = m.call("GET", "product/status?stream=oper&time=00&type=fc&step=24", null);
      assertThat(read.code()).isEqualTo(200);
      assertThat(read.body().at("/product/status").asText()).isEqualTo("DONE");
      assertThat(read.body().at("/product/scheduleTime").isNull()).as("replaced with the new -at (none)").isTrue();
      // another step is another product
      assertThat(m.call("GET", "product/status?stream=oper&time=00&type=fc&step=48", null).code()).isEqualTo(404);

      assertThat(m.call("POST", "product/status", body("reset", 24)).body().get("reset").asBoolean()).isTrue();
      assertThat(m.call("GET", "product/status?stream=oper&time=00&type=fc&step=24", null).code()).isEqualTo(404);
      assertThat(m.call("POST", "product/status", body("reset", 24)).body().get("reset").asBoolean()).isFalse();
    }
  }

  @ParameterizedTest
  @MethodSource("databases")
  void badRequestsAre400WithTheirReason(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      Reply noStep = m.call("POST", "product/status", body("expected", null));
      assertThat(noStep.code()).isEqualTo(400);
      assertThat(noStep.body().get("message").asText()).contains("step is required");
      Reply badStatus = m.call("POST", "product/status", body("finished", 1));
      assertThat(badStatus.code()).isEqualTo(400);
      assertThat(badStatus.body().get("message").asText()).contains("expected, started or completed");
      Map<String, Object> longStream = body("expected", 1);
      longStream.put("stream", "s".repeat(65));
      Reply tooLong = m.call("POST", "product/status", longStream);
      assertThat(tooLong.code()).isEqualTo(400);
      assertThat(tooLong.body().get("message").asText()).contains("stream is too long");
    }
  }
}
