package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Operators manage portal rights (flags and path rules) and users' public keys over REST. */
class PortalRestTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static void expect(Reply r, int code) {
    assertThat(r.code()).as(r.body().toString()).isEqualTo(code);
    if (code != 200) assertThat(r.body().get("status").asText()).isEqualTo("error");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void permissionsCarryFlagsAndValidatedPathRules(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      expect(m.call("POST", "destination", Map.of("name", "D")), 200);
      expect(m.call("POST", "incoming/user", Map.of("id", "u", "password", "secret-u1")), 200);

      // defaults: get, dir, size, mtime on; the rest off; no rules
      expect(m.call("PUT", "incoming/user/u/destination/D", null), 200);
      JsonNode p = m.call("GET", "incoming/user/u/destination", null).body().at("/destinations/0");
      assertThat(List.of("get", "put", "delete", "dir", "mkdir", "rmdir", "rename", "size", "mtime").stream()
          .map(k -> p.get(k).asBoolean()).toList())
          .containsExactly(true, false, false, true, false, false, false, true, true);
      assertThat(p.get("rules")).isEmpty();

      Reply saved = m.call("PUT", "incoming/user/u/destination/D", Map.of("put", true, "mkdir", true, "mtime", false,
          "rules", List.of(Map.of("permission", "put", "regex", "in/.*"), Map.of("permission", "MKDIR", "regex", "in"))));
      expect(saved, 200);
      assertThat(saved.body().at("/permission/mkdir").asBoolean()).isTrue();
      assertThat(saved.body().at("/permission/mtime").asBoolean()).isFalse();
      assertThat(saved.body().at("/permission/rules/1/permission").asText()).isEqualTo("mkdir");
      JsonNode rules = m.call("GET", "incoming/user/u", null).body().at("/user/destinations/0/rules");
      assertThat(rules).hasSize(2);
      assertThat(rules.get(0).get("regex").asText()).isEqualTo("in/.*");

      // refused rules leave the saved permission as it was
      expect(m.call("PUT", "incoming/user/u/destination/D", Map.of("rules", List.of(Map.of("permission", "put",
          "regex", "in/([a-z")))), 400);
      expect(m.call("PUT", "incoming/user/u/destination/D", Map.of("rules", List.of(Map.of("permission", "chmod",
          "regex", ".*")))), 400);
      expect(m.call("PUT", "incoming/user/u/destination/D", Map.of("rules", List.of(Map.of("permission", "get")))),
          400);
      expect(m.call("PUT", "incoming/user/u/destination/D", Map.of("rules", List.of(Map.of("permission", "get",
          "regex", "x".repeat(1025))))), 400);
      expect(m.call("PUT", "incoming/user/u/destination/D", Map.of("rules", List.of(Map.of("permission", "get",
          "regex", ".*", "extra", 1)))), 400);
      expect(m.call("PUT", "incoming/user/u/destination/D", Map.of("chmod", true)), 400);
      assertThat(m.call("GET", "incoming/user/u/destination", null).body().at("/destinations/0/rules")).hasSize(2);
      expect(m.call("PUT", "incoming/user/u/destination/NOPE", Map.of()), 404);

      // revoking the permission removes its rules with it
      expect(m.call("DELETE", "incoming/user/u/destination/D", null), 200);
      expect(m.call("PUT", "incoming/user/u/destination/D", Map.of()), 200);
      assertThat(m.call("GET", "incoming/user/u/destination", null).body().at("/destinations/0/rules")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void publicKeysAreValidatedListedAndDeleted(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      expect(m.call("POST", "incoming/user", Map.of("id", "u", "password", "secret-u1")), 200);
      var ec = KeyPairGenerator.getInstance("EC");
      ec.initialize(256);
      var ecKey = ec.generateKeyPair().getPublic();
      var rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      String rsaKey = PublicKeyEntry.toString(rsa.generateKeyPair().getPublic());

      Reply added = m.call("POST", "incoming/user/u/key", Map.of("key", PublicKeyEntry.toString(ecKey) + " me@laptop"));
      expect(added, 200);
      assertThat(added.body().at("/key/fingerprint").asText()).isEqualTo(KeyUtils.getFingerPrint(ecKey));
      assertThat(added.body().at("/key/key").asText()).isEqualTo(PublicKeyEntry.toString(ecKey) + " me@laptop");
      // login options are accepted, not stored
      expect(m.call("POST", "incoming/user/u/key", Map.of("key", "no-pty " + rsaKey)), 200);
      // the same key with another comment is the same key
      expect(m.call("POST", "incoming/user/u/key", Map.of("key", PublicKeyEntry.toString(ecKey) + " other")), 409);

      JsonNode keys = m.call("GET", "incoming/user/u/key", null).body().get("keys");
      assertThat(keys).hasSize(2);
      assertThat(keys.get(1).get("key").asText()).isEqualTo(rsaKey);

      String data = rsaKey.split(" ")[1];
      for (String bad : List.of("", "ssh-rsa", "ssh-rsa AAAA", "ssh-rsa " + data.substring(0, data.length() - 12),
          "ssh-ed25519 " + data, rsaKey + "\n" + rsaKey, "hello world")) {
        expect(m.call("POST", "incoming/user/u/key", Map.of("key", bad)), 400);
      }
      expect(m.call("POST", "incoming/user/u/key", Map.of()), 400);
      expect(m.call("POST", "incoming/user/nobody/key", Map.of("key", rsaKey)), 404);
      expect(m.call("GET", "incoming/user/nobody/key", null), 404);

      long id = keys.get(0).get("id").asLong();
      expect(m.call("DELETE", "incoming/user/u/key/abc", null), 400);
      expect(m.call("DELETE", "incoming/user/u/key/" + (id + 1000), null), 404);
      expect(m.call("DELETE", "incoming/user/u/key/" + id, null), 200);
      expect(m.call("DELETE", "incoming/user/u/key/" + id, null), 404);
      assertThat(m.call("GET", "incoming/user/u/key", null).body().get("keys")).hasSize(1);
      // keys are operators' business only
      expect(m.call("GET", "incoming/user/u/key", null, "u", "secret-u1"), 403);
    }
  }
}
