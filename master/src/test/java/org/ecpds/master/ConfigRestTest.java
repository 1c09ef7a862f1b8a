package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Declarative configuration on a real master (H2 and MariaDB): export, wipe everything through the
 * API, apply the export, export again and get the same document; applying twice changes nothing;
 * a dry run changes nothing; a bad document is a 400 naming the field, and a refused apply leaves
 * nothing half-done.
 */
class ConfigRestTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

  private static void ok(Reply r) {
    assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
  }

  private static void populate(MasterHarness m) throws Exception {
    ok(m.call("POST", "host", Map.of("name", "h-sftp", "transferMethod", "sftp", "address", "127.0.0.1", "port", 22,
        "login", "u", "password", "host-secret-1", "directory", "/data/$destination",
        "options", Map.of("sftp.fingerPrint", "SHA256:abc", "sftp.privateKeyPassword", "pk-secret"))));
    ok(m.call("POST", "host", Map.of("name", "h-ftp", "transferMethod", "ftp", "address", "10.0.0.2", "enabled", false)));
    ok(m.call("POST", "destination", Map.of("name", "ALPHA", "maxConnections", 3, "retryCount", 2,
        "onHostFailure", "next and stay", "properties", "scheduler.delay=5m")));
    ok(m.call("POST", "destination", Map.of("name", "BETA", "comment", "second")));
    ok(m.call("PUT", "destination/ALPHA/host/h-sftp", Map.of("priority", 0)));
    ok(m.call("PUT", "destination/ALPHA/host/h-ftp", Map.of("priority", 5)));
    ok(m.call("PUT", "destination/ALPHA/alias/BETA", Map.of("spec", "pattern=.*\\.grib;priority=10")));
    ok(m.call("POST", "incoming/user", Map.of("id", "alice", "password", "alice-secret-1", "email", "a@example.org",
        "maxUploadBytes", 1000, "uploadPeriod", "12h")));
    ok(m.call("PUT", "incoming/user/alice/destination/ALPHA", Map.of("get", true, "put", true,
        "rules", List.of(Map.of("permission", "put", "regex", "incoming/.*")))));
    ok(m.call("PUT", "incoming/user/alice/destination/BETA", null));
    ok(m.call("POST", "incoming/user/alice/key", Map.of("key", KEY + " me@host")));
    ok(m.call("POST", "incoming/user/add2?id=bob&email=b@example.org&iso=fr", null));
    ok(m.call("POST", "incoming/category/add?id=bob", "[\"gold\",\"ens\"]"));
  }

  private static void wipe(MasterHarness m) throws Exception {
    ok(m.call("DELETE", "incoming/user/del/alice", null));
    ok(m.call("DELETE", "incoming/user/del/bob", null));
    ok(m.call("DELETE", "destination/ALPHA/alias/BETA", null));
    ok(m.call("DELETE", "destination/ALPHA", null));
    ok(m.call("DELETE", "destination/BETA", null));
    ok(m.call("DELETE", "host/h-sftp", null));
    ok(m.call("DELETE", "host/h-ftp", null));
  }

  private static JsonNode export(MasterHarness m) throws Exception {
    Reply r = m.call("GET", "config", null);
    ok(r);
    return r.body().get("config");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void exportWipeApplyExportGivesTheSameDocument(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      populate(m);
      JsonNode first = export(m);
      String text = MasterHarness.JSON.writeValueAsString(first);
      assertThat(text).doesNotContain("host-secret-1").doesNotContain("pk-secret").doesNotContain("alice-secret-1");
      assertThat(first.at("/incomingUsers/0/passwordHash").asText()).startsWith("$2");
      assertThat(first.at("/incomingUsers/1/categories").toString()).isEqualTo("[\"ens\",\"gold\"]");
      assertThat(first.at("/incomingUsers/1/iso").asText()).isEqualTo("FR");
      assertThat(first.at("/destinations/0/hosts").toString())
          .isEqualTo("[{\"host\":\"h-sftp\",\"priority\":0},{\"host\":\"h-ftp\",\"priority\":5}]");
      assertThat(first.at("/webUsers/0/name").asText()).isEqualTo("admin");

      wipe(m);
      JsonNode empty = export(m);
      assertThat(empty.get("hosts")).isEmpty();
      assertThat(empty.get("destinations")).isEmpty();
      assertThat(empty.get("incomingUsers")).isEmpty();

      Reply applied = m.call("POST", "config", first);
      ok(applied);
      assertThat(applied.body().get("dryRun").asBoolean()).isFalse();
      assertThat(applied.body().at("/diff/destinations/added").toString()).isEqualTo("[\"ALPHA\",\"BETA\"]");
      assertThat(applied.body().at("/diff/hosts/added").toString()).isEqualTo("[\"h-ftp\",\"h-sftp\"]");
      assertThat(applied.body().at("/diff/incomingUsers/added").toString()).isEqualTo("[\"alice\",\"bob\"]");
      JsonNode second = export(m);
      assertThat(MasterHarness.JSON.writeValueAsString(second)).isEqualTo(text);

      Reply again = m.call("POST", "config", second);
      ok(again);
      assertThat(again.body().get("changes").asInt()).as(again.body().toString()).isZero();

      // the hash came back: alice logs in with her password (an incoming user: 403 on operator paths, not 401)
      assertThat(m.call("GET", "destination", null, "alice", "alice-secret-1").code()).isEqualTo(403);
      // and the host secrets still decrypt: the host shows a password
      assertThat(m.call("GET", "host/h-sftp", null).body().at("/host/passwordSet").asBoolean()).isTrue();

      // a dry run reports the change and changes nothing; removing from the document removes
      ObjectNode changed = second.deepCopy();
      ((ObjectNode) changed.at("/destinations/1")).put("comment", "changed");
      ((com.fasterxml.jackson.databind.node.ArrayNode) changed.get("hosts")).remove(0); // h-ftp
      ((ObjectNode) changed.at("/destinations/0")).set("hosts",
          MasterHarness.JSON.readTree("[{\"host\":\"h-sftp\",\"priority\":0}]"));
      Reply dry = m.call("POST", "config?dryRun=true", changed);
      ok(dry);
      assertThat(dry.body().get("dryRun").asBoolean()).isTrue();
      assertThat(dry.body().at("/diff/destinations/changed").toString())
          .isEqualTo("[{\"name\":\"ALPHA\",\"fields\":[\"hosts\"]},{\"name\":\"BETA\",\"fields\":[\"comment\"]}]");
      assertThat(dry.body().at("/diff/hosts/removed").toString()).isEqualTo("[\"h-ftp\"]");
      assertThat(MasterHarness.JSON.writeValueAsString(export(m))).isEqualTo(text);
      ok(m.call("POST", "config?dryRun=false", changed));
      assertThat(m.call("GET", "host/h-ftp", null).code()).isEqualTo(404);
      assertThat(m.call("GET", "destination/BETA", null).body().at("/destination/comment").asText()).isEqualTo("changed");

      // a field left out keeps its value, a section left out is not managed, a list left out inside is not either
      Reply partial = m.call("POST", "config", Map.of("version", 1, "incomingUsers", List.of(
          Map.of("id", "alice", "email", "new@example.org"), Map.of("id", "bob"))));
      ok(partial);
      assertThat(partial.body().at("/diff/incomingUsers/changed").toString())
          .isEqualTo("[{\"name\":\"alice\",\"fields\":[\"email\"]}]");
      assertThat(partial.body().get("changes").asInt()).isEqualTo(1);
      assertThat(m.call("GET", "destination", null, "alice", "alice-secret-1").code()).isEqualTo(403);
      assertThat(m.call("GET", "incoming/user/alice/destination", null).body().get("destinations")).hasSize(2);
      assertThat(m.call("GET", "host/h-sftp", null).code()).isEqualTo(200);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void badDocumentsAreRefusedNamingTheFieldAndChangeNothing(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      populate(m);
      JsonNode doc = export(m);
      String text = MasterHarness.JSON.writeValueAsString(doc);

      ObjectNode badRange = doc.deepCopy();
      ((ObjectNode) badRange.at("/destinations/0")).put("maxConnections", 0);
      assertRefused(m, badRange, "destinations[ALPHA]", "maxConnections");

      ObjectNode unknown = doc.deepCopy();
      ((ObjectNode) unknown.at("/hosts/0")).put("adress", "x");
      assertRefused(m, unknown, "adress");

      ObjectNode noVersion = doc.deepCopy();
      noVersion.remove("version");
      assertRefused(m, noVersion, "version");

      ObjectNode duplicate = doc.deepCopy();
      ((com.fasterxml.jackson.databind.node.ArrayNode) duplicate.get("destinations")).add(doc.at("/destinations/0"));
      assertRefused(m, duplicate, "destinations[2].name", "duplicate");

      // the last step fails (a bad path rule): the new destination made before it is rolled back
      ObjectNode late = doc.deepCopy();
      ((com.fasterxml.jackson.databind.node.ArrayNode) late.get("destinations")).add(MasterHarness.JSON.readTree(
          "{\"name\":\"GAMMA\"}"));
      ((ObjectNode) late.at("/incomingUsers/0/permissions/0/rules/0")).put("regex", "([");
      assertRefused(m, late, "incomingUsers[alice]", "regex");
      assertThat(m.call("GET", "destination/GAMMA", null).code()).isEqualTo(404);

      ObjectNode foreign = doc.deepCopy();
      ((ObjectNode) foreign.at("/hosts/1")).put("passwordEncrypted", "v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      assertRefused(m, foreign, "hosts[h-sftp]", "passwordEncrypted");

      assertThat(MasterHarness.JSON.writeValueAsString(export(m))).isEqualTo(text);
      Reply anon = m.call("POST", "config", doc, "alice", "alice-secret-1");
      assertThat(anon.code()).isEqualTo(403);
    }
  }

  private static void assertRefused(MasterHarness m, JsonNode doc, String... words) throws Exception {
    Reply r = m.call("POST", "config", doc);
    assertThat(r.code()).as(r.body().toString()).isEqualTo(400);
    assertThat(r.body().get("message").asText()).contains(words);
  }
}
