package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API against a real master, on H2 and on MariaDB. */
class RestApiTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void configurationLifecycleAndErrors(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      // the generated admin password is in a 0600 file, never a fixed default
      assertThat(m.adminPassword).hasSizeGreaterThanOrEqualTo(16);
      assertThat(Files.readString(m.node.adminPasswordFile()).trim()).isEqualTo(m.adminPassword);
      assertThat(Files.getPosixFilePermissions(m.node.adminPasswordFile()))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

      assertThat(m.call("GET", "version", null, null, null).code()).isEqualTo(200);
      Reply anon = m.call("GET", "destination", null, null, null);
      assertThat(anon.code()).isEqualTo(401);
      assertThat(anon.body().get("status").asText()).isEqualTo("error");
      assertThat(m.call("GET", "destination", null, "admin", "wrong-password").code()).isEqualTo(401);

      Reply created = m.call("POST", "destination", Map.of("name", "FOO", "maxConnections", 3, "retryCount", 2,
          "retryFrequency", 5000, "onHostFailure", "next and stay"));
      assertThat(created.code()).isEqualTo(200);
      assertThat(created.body().at("/destination/maxConnections").asInt()).isEqualTo(3);
      assertThat(created.body().at("/destination/onHostFailure").asText()).isEqualTo("NEXT_AND_STAY");
      assertThat(m.call("POST", "destination", Map.of("name", "FOO")).code()).isEqualTo(409);
      Reply bad = m.call("POST", "destination", Map.of("name", "../x"));
      assertThat(bad.code()).isEqualTo(400);
      assertThat(bad.body().get("message").asText()).contains("invalid destination name");
      assertThat(m.call("POST", "destination", "{not json").code()).isEqualTo(400);
      assertThat(m.call("POST", "destination", Map.of("name", "B", "maxConnection", 3)).code()).isEqualTo(400);
      assertThat(m.call("GET", "destination/NOPE", null).code()).isEqualTo(404);

      Reply host = m.call("POST", "host", Map.of("name", "h1", "transferMethod", "sftp", "address", "127.0.0.1",
          "port", 22, "login", "u", "password", "secret-pass", "directory", "/data/$destination",
          "options", Map.of("sftp.fingerPrint", "abc")));
      assertThat(host.code()).isEqualTo(200);
      assertThat(host.body().toString()).doesNotContain("secret-pass");
      assertThat(host.body().at("/host/passwordSet").asBoolean()).isTrue();
      // stored encrypted, not in clear
      String stored = m.node.database().jdbi().withHandle(h -> h.createQuery("SELECT password_enc FROM host")
          .mapTo(String.class).one());
      assertThat(stored).startsWith("v1:").doesNotContain("secret-pass");
      assertThat(m.node.hosts().password(m.node.hosts().get("h1"))).isEqualTo("secret-pass");
      assertThat(m.call("POST", "host", Map.of("name", "h2", "transferMethod", "gopher", "address", "x")).code())
          .isEqualTo(400);
      // credentials in options are encrypted at rest and masked in replies; a masked echo keeps them
      Reply keyed = m.call("POST", "host", Map.of("name", "hk", "transferMethod", "sftp", "address", "127.0.0.1",
          "options", Map.of("sftp.privateKey", "-----BEGIN KEY-----SECRETKEY", "sftp.passive", "true")));
      assertThat(keyed.body().toString()).doesNotContain("SECRETKEY");
      assertThat(keyed.body().at("/host/options/sftp.privateKey").asText()).isEqualTo("***");
      assertThat(keyed.body().at("/host/options/sftp.passive").asText()).isEqualTo("true");
      String optionsAtRest = m.node.database().jdbi().withHandle(h -> h.createQuery(
          "SELECT options_json FROM host WHERE name = 'hk'").mapTo(String.class).one());
      assertThat(optionsAtRest).doesNotContain("SECRETKEY");
      assertThat(m.call("PUT", "host/hk", Map.of("options", Map.of("sftp.privateKey", "***", "sftp.passive", "false")))
          .code()).isEqualTo(200);
      assertThat(m.node.hosts().clearOptions(m.node.hosts().get("hk")))
          .containsEntry("sftp.privateKey", "-----BEGIN KEY-----SECRETKEY").containsEntry("sftp.passive", "false");
      assertThat(m.call("PUT", "host/hk", Map.of("name", "other")).code()).isEqualTo(400);

      assertThat(m.call("PUT", "destination/FOO/host/h1", Map.of("priority", 5)).code()).isEqualTo(200);
      assertThat(m.call("PUT", "destination/FOO/host/h1", Map.of("priority", 100)).code()).isEqualTo(400);
      Reply foo = m.call("GET", "destination/FOO", null);
      assertThat(foo.body().at("/destination/hosts/0/host").asText()).isEqualTo("h1");
      assertThat(foo.body().at("/destination/hosts/0/priority").asInt()).isEqualTo(5);

      assertThat(m.call("POST", "incoming/user", Map.of("id", "alice", "password", "alice-password-1")).code())
          .isEqualTo(200);
      assertThat(m.call("POST", "incoming/user", Map.of("id", "bob", "password", "short")).code()).isEqualTo(400);
      Reply carol = m.call("POST", "incoming/user", Map.of("id", "carol", "password", "carol-password", "enabled", false));
      assertThat(carol.body().at("/user/enabled").asBoolean()).isFalse();
      assertThat(m.call("PUT", "incoming/user/alice/destination/FOO", Map.of("get", true, "put", true)).code())
          .isEqualTo(200);
      Reply alice = m.call("GET", "incoming/user/alice", null);
      assertThat(alice.body().at("/user/destinations/0/destination").asText()).isEqualTo("FOO");
      assertThat(alice.body().at("/user/destinations/0/put").asBoolean()).isTrue();
      assertThat(alice.body().toString()).doesNotContain("password_hash").doesNotContain("alice-password-1");
      // an incoming user is not an operator
      assertThat(m.call("GET", "destination", null, "alice", "alice-password-1").code()).isEqualTo(403);
      // no mover online: registration is refused cleanly and nothing is created
      Reply reg = m.call("POST", "datafile", Map.of("destination", "FOO", "source", "/tmp/a.bin"), "alice",
          "alice-password-1");
      assertThat(reg.code()).isEqualTo(503);
      // an incoming user cannot probe which destinations exist
      assertThat(m.call("POST", "datafile", Map.of("destination", "NOPE", "source", "a"), "alice", "alice-password-1")
          .code()).isEqualTo(403);
      assertThat(m.call("POST", "datafile", Map.of("destination", "NOPE", "source", "a")).code()).isEqualTo(404);

      assertThat(m.call("DELETE", "destination/FOO/host/h1", null).code()).isEqualTo(200);
      assertThat(m.call("DELETE", "host/h1", null).code()).isEqualTo(200);
      assertThat(m.call("DELETE", "destination/FOO", null).code()).isEqualTo(200);
      assertThat(m.call("GET", "destination/FOO", null).code()).isEqualTo(404);

      // plain HTTP on the HTTPS port is refused
      HttpClient plain = HttpClient.newHttpClient();
      assertThatThrownBy(() -> {
        HttpResponse<String> r = plain.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + m.node.restPort() + "/ecpds/v1/version")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() < 400) throw new AssertionError("plain HTTP was served: " + r.statusCode());
        throw new java.io.IOException("refused with " + r.statusCode());
      }).isInstanceOf(java.io.IOException.class);
    }
  }
}
