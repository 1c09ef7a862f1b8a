package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Strict JSON and JSON errors everywhere on the REST port: what a careless or hostile client gets. */
class RestErrorsTest {
  private static MasterHarness m;

  @BeforeAll
  static void start() throws Exception {
    m = new MasterHarness(TestDatabases.h2());
  }

  @AfterAll
  static void stop() {
    m.close();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "{\"name\":\"A\",\"maxConnections\":2,\"maxConnections\":3} | duplicate field 'maxConnections'",
      "{\"name\":\"A\",\"maxConnections\":\"5\"}                  | field 'maxConnections' must be a whole number",
      "{\"name\":\"A\",\"maxConnections\":0.5}                    | field 'maxConnections' must be a whole number",
      "{\"name\":\"A\",\"enabled\":\"yes\"}                       | field 'enabled' must be true or false",
      "{\"name\":\"A\",\"enabled\":1}                             | field 'enabled' must be true or false",
      "{\"name\":\"A\",\"comment\":5}                             | field 'comment' must be a string",
      "{\"name\":\"A\",\"maxConection\":3}                        | unknown field 'maxConection'",
      "{\"name\":\"A\"} {}                                        | invalid JSON",
      "{\"name\":                                                 | invalid JSON",
      "[1,2]                                                      | the body must be an object"})
  void badBodiesAreRefusedNamingTheField(String body, String message) throws Exception {
    Reply r = m.call("POST", "destination", body.trim());
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.body().get("status").asText()).isEqualTo("error");
    assertThat(r.body().get("message").asText()).startsWith(message.trim()).doesNotContain("java.", "com.fasterxml");
    assertThat(m.call("GET", "destination/A", null).code()).as("nothing created").isEqualTo(404);
  }

  @Test
  void metadataValuesMustBeStrings() throws Exception {
    Reply r = m.call("POST", "datafile", "{\"destination\":\"X\",\"source\":\"a\",\"metadata\":{\"k\":5}}");
    assertThat(r.code()).isEqualTo(400);
    assertThat(r.body().get("message").asText()).isEqualTo("field 'metadata.k' must be a string");
  }

  @Test
  void errorsRaisedBeforeTheApiAreJsonToo() throws Exception {
    String base = "https://localhost:" + m.node.restPort();
    HttpResponse<String> outside = m.http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(outside.statusCode()).isEqualTo(404);
    assertThat(outside.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    assertThat(MasterHarness.JSON.readTree(outside.body()).get("status").asText()).isEqualTo("error");

    HttpResponse<String> wrongMethod = m.http.send(HttpRequest.newBuilder(URI.create(base + "/ecpds/v1/version"))
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(MasterHarness.JSON.readTree(wrongMethod.body()).get("message").asText()).isEqualTo("method not allowed");
  }

  @Test
  void textsLongerThanTheirColumnAreRefusedNamingTheLimitFromTheSchema() throws Exception {
    var limits = m.node.database().limits();
    int comment = limits.max("destination", "comment");
    Reply longComment = m.call("POST", "destination", Map.of("name", "L", "comment", "c".repeat(comment + 1)));
    assertThat(longComment.code()).isEqualTo(400);
    assertThat(longComment.body().get("message").asText())
        .isEqualTo("comment is too long: " + (comment + 1) + " characters, at most " + comment);
    assertThat(m.call("POST", "destination", Map.of("name", "L", "comment", "c".repeat(comment))).code()).isEqualTo(200);

    int address = limits.max("host", "address");
    Reply longAddress = m.call("POST", "host", Map.of("name", "lh", "transferMethod", "sftp", "address",
        "a".repeat(address + 1)));
    assertThat(longAddress.code()).isEqualTo(400);
    assertThat(longAddress.body().get("message").asText()).startsWith("address is too long");

    int email = limits.max("incoming_user", "email");
    Reply longEmail = m.call("POST", "incoming/user", Map.of("id", "le", "password", "long-enough-password",
        "email", "e".repeat(email + 1)));
    assertThat(longEmail.code()).isEqualTo(400);
    assertThat(longEmail.body().get("message").asText()).startsWith("email is too long");

    Reply longMetadata = m.call("POST", "datafile", Map.of("destination", "L", "source", "/x/a",
        "metadata", Map.of("k", "v".repeat(limits.max("data_file", "metadata_json")))));
    assertThat(longMetadata.code()).isEqualTo(400);
    assertThat(longMetadata.body().get("message").asText()).startsWith("metadata is too long");
  }

  @Test
  void nameRulesAgreeWithTheSchema() {
    var limits = m.node.database().limits();
    for (String table : new String[] {"destination", "host", "mover", "incoming_user", "web_user"}) {
      assertThat(limits.max(table, "name")).as(table + ".name").isEqualTo(org.ecpds.master.service.Names.MAX_LENGTH);
    }
  }
}
