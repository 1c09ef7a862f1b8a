package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.testkit.TestDatabases;

/**
 * Random and mutated JSON bodies against a real master's REST port: the strict mapper answers
 * success or a JSON error in the documented shape, never a 5xx and never a Java class name.
 */
class RestJsonBodiesPropertiesTest {
  private static final Set<Integer> ANSWERS = Set.of(200, 201, 204, 400, 404, 409);
  private static MasterHarness m;

  /** Valid bodies of the main write endpoints: the seeds the mutations start from. */
  private static final List<Tuple.Tuple3<String, String, String>> SEEDS = List.of(
      Tuple.of("POST", "destination", "{\"name\":\"P1\",\"comment\":\"c\",\"maxConnections\":2,\"enabled\":true}"),
      Tuple.of("PUT", "destination/P1", "{\"comment\":\"d\",\"maxConnections\":3,\"enabled\":false}"),
      Tuple.of("POST", "host", "{\"name\":\"h1\",\"transferMethod\":\"sftp\",\"address\":\"x.example.org\",\"login\":\"u\"}"),
      // a destination that never exists: with one, a valid body would wait for a mover (503, not the mapper's doing)
      Tuple.of("POST", "datafile", "{\"destination\":\"none\",\"source\":\"/x/a\",\"metadata\":{\"k\":\"v\"}}"),
      Tuple.of("POST", "incoming/user", "{\"id\":\"iu\",\"password\":\"long-enough-password\",\"email\":\"a@b.c\"}"));

  @BeforeContainer
  static void start() throws Exception {
    m = new MasterHarness(TestDatabases.h2());
  }

  @AfterContainer
  static void stop() {
    if (m != null) m.close();
  }

  @Property(tries = 400)
  void mutatedBodiesGetSuccessOrAJsonError(@ForAll("requests") Tuple.Tuple3<String, String, String> request)
      throws Exception {
    Reply r = m.call(request.get1(), request.get2(), request.get3());
    assertThat(ANSWERS).as("%s %s %s -> %s", request.get1(), request.get2(), request.get3(), r.code()).contains(r.code());
    if (r.code() >= 400) {
      assertThat(r.body().path("status").asText()).as(request.get3()).isEqualTo("error");
      assertThat(r.body().path("message").asText()).isNotBlank().doesNotContain("java.", "com.fasterxml", "Exception");
    }
    Statistics.collect(r.code() == 400 ? "400" : r.code() < 300 ? "success" : "other 4xx");
    Statistics.coverage(c -> c.check("400").percentage(p -> p > 30));
  }

  @Provide
  Arbitrary<Tuple.Tuple3<String, String, String>> requests() {
    Arbitrary<Tuple.Tuple3<String, String, String>> seed = Arbitraries.of(SEEDS);
    Arbitrary<List<Mutation>> mutations = mutation().list().ofMaxSize(4);
    return Combinators.combine(seed, mutations).as((s, ms) -> {
      String body = s.get3();
      for (Mutation mu : ms) body = mu.apply(body);
      return Tuple.of(s.get1(), s.get2(), body);
    });
  }

  /** One edit at a relative position: delete, insert a JSON-ish token, or swap a value for another type. */
  private record Mutation(int kind, double at, String token) {
    String apply(String body) {
      int i = (int) (at * body.length());
      return switch (kind) {
        case 0 -> body.substring(0, i) + body.substring(Math.min(body.length(), i + 1 + token.length() % 5));
        case 1 -> body.substring(0, i) + token + body.substring(i);
        default -> body.replaceFirst(":(\"[^\"]*\"|[^,}\"]+)", ":" + token.replace("\\", "\\\\").replace("$", "\\$"));
      };
    }
  }

  private Arbitrary<Mutation> mutation() {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("null", "true", "1", "-1", "0.5", "1e400", "99999999999999999999", "\"5\"", "[]", "{}",
            "[1,{}]", "{\"a\":{\"b\":[null]}}", "\"\\u0000\"", "\"\\ud800\"", ",", ":", "\"", "{", "}", "[", "]",
            ",\"name\":\"dup\"", ",\"unknownField\":1", ",\"maxConnections\":2147483648", ",\"metadata\":{\"k\":1}",
            "\"" + "x".repeat(5000) + "\"", "[".repeat(2000), "NaN", "\uFEFF", "/*c*/", "'single'"),
        Arbitraries.strings().ofMaxLength(6));
    return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.doubles().between(0, 1), token)
        .as(Mutation::new);
  }
}
