package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POST datafile/put (OpenECPDS's parameter names) and GET datafile/group/{name} over HTTPS. */
class RetrievalRestTest {
  private static MasterHarness m;

  @BeforeAll
  static void start() throws Exception {
    m = new MasterHarness(TestDatabases.h2());
    assertThat(m.call("POST", "destination", Map.of("name", "D")).code()).isEqualTo(200);
    assertThat(m.call("POST", "host", Map.of("name", "S", "type", "source", "transferMethod", "sftp",
        "address", "127.0.0.1")).code()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  @Test
  void aRegisteredGroupIsPresetAndItsStatusCountsIt() throws Exception {
    Reply r = m.call("POST", "datafile/put", Map.of("destination", "D", "source", "S:/in/a.grb", "target", "x/a.grb",
        "metadata", Map.of("k", "v"), "priority", 5, "lifetime", "3h", "groupby", "RG"));
    assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
    long id = r.body().get("dataFileId").asLong();
    assertThat(r.body().get("duplicate").asBoolean()).isFalse();
    Reply again = m.call("POST", "datafile/put", Map.of("destination", "D", "source", "S:/in/a.grb", "target", "x/a.grb",
        "groupby", "RG"));
    assertThat(again.body().get("dataFileId").asLong()).isEqualTo(id);
    assertThat(again.body().get("duplicate").asBoolean()).isTrue();
    Reply forced = m.call("POST", "datafile/put", Map.of("destination", "D", "source", "S:/in/a.grb", "target", "x/a.grb",
        "groupby", "RG", "force", true));
    assertThat(forced.body().get("dataFileId").asLong()).isNotEqualTo(id);

    Reply g = m.call("GET", "datafile/group/RG", null);
    assertThat(g.code()).isEqualTo(200);
    assertThat(g.body().get("files").asLong()).isEqualTo(2);
    assertThat(g.body().get("fetch").get("SCHE").asLong()).isEqualTo(2); // no mover online: still Preset
    assertThat(g.body().get("transfers").get("SCHE").asLong()).isEqualTo(2);
    assertThat(g.body().get("complete").asBoolean()).isFalse();
    assertThat(g.body().get("failed").asBoolean()).isFalse();

    Reply f = m.call("GET", "datafile/" + id, null);
    assertThat(f.body().get("datafile").get("transfers").get(0).get("status").asText()).isEqualTo("SCHE");
    assertThat(m.call("GET", "datafile/group/none", null).body().get("files").asLong()).isZero();
  }

  @Test
  void aUserWithoutPutIsRefusedWhetherOrNotTheDestinationExists() throws Exception {
    assertThat(m.call("POST", "incoming/user", Map.of("id", "bob", "password", "bob-secret-12")).code()).isEqualTo(200);
    for (String dest : new String[] {"D", "NOPE"}) {
      Reply r = m.call("POST", "datafile/put", Map.of("destination", dest, "source", "S:/in/b"), "bob", "bob-secret-12");
      assertThat(r.code()).as(dest + ": " + r.body()).isEqualTo(403);
    }
  }

  @Test
  void aGroupNameLongerThanItsColumnIsA400() throws Exception {
    Reply r = m.call("POST", "datafile/put", Map.of("destination", "D", "source", "S:/a", "groupby", "g".repeat(256)));
    assertThat(r.code()).as(r.body().toString()).isEqualTo(400);
    assertThat(r.body().get("message").asText()).contains("groupby");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"source\":\"S:/a\"}                                                   | destination is required",
      "{\"destination\":\"D\"}                                                 | source is required",
      "{\"destination\":\"D\",\"source\":\"/a\"}                               | source:",
      "{\"destination\":\"D\",\"source\":\"S:/a\",\"priority\":100}            | priority",
      "{\"destination\":\"D\",\"source\":\"S:/a\",\"noretrieval\":true}        | noretrieval is only allowed with groupby",
      "{\"destination\":\"D\",\"source\":\"S:/a\",\"lifetime\":\"soon\"}       | lifetime",
      "{\"destination\":\"D\",\"source\":\"S:/a\",\"groupby\":5}               | field 'groupby' must be a string",
      "{\"destination\":\"D\",\"source\":\"S:/a\",\"groupBy\":\"G\"}           | unknown field 'groupBy'"})
  void badInputIsA400NamingTheField(String body, String message) throws Exception {
    Reply r = m.call("POST", "datafile/put", body.trim());
    assertThat(r.code()).as(r.body().toString()).isEqualTo(400);
    assertThat(r.body().get("message").asText()).contains(message.trim());
  }
}
