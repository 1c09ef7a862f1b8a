package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.master.security.Passwords;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * OpenECPDS's v1 paths and parameters (query string or form body) on a real master, their errors,
 * and an API user limited by a service regex (master.api.services.USER).
 */
class RestV1CompatTest {
  private static void ok(Reply r) {
    assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
  }

  /** A form POST, as curl -d sends it. */
  private static Reply form(MasterHarness m, String method, String path, String body, String user, String pass)
      throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("https://localhost:" + m.node.restPort() + "/ecpds/v1/" + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass)
            .getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> resp = m.http.send(r, HttpResponse.BodyHandlers.ofString());
    return new Reply(resp.statusCode(), MasterHarness.JSON.readTree(resp.body()));
  }

  @Test
  void openEcpdsPathsAndErrors() throws Exception {
    try (MasterHarness m = new MasterHarness(TestDatabases.h2(), Clock.systemUTC(),
        c -> c.with("master.api.users", "api1").with("master.api.services.api1", "destinationList|incomingUser(Add|List)"))) {
      ok(m.call("POST", "destination", Map.of("name", "DEST1")));
      ok(m.call("POST", "destination", Map.of("name", "OTHER")));
      ok(m.call("POST", "host", Map.of("name", "h1", "transferMethod", "ftp", "address", "127.0.0.1",
          "options", Map.of("ftp.passive", "true", "ftp.password", "old-token"))));
      ok(m.call("PUT", "destination/DEST1/host/h1", Map.of("priority", 0)));

      Reply added = form(m, "POST", "incoming/user/add", "id=carol&pass=carol-secret-1&email=c%40x.org&iso=de", "admin",
          m.adminPassword);
      ok(added);
      assertThat(added.body().at("/user/iso").asText()).isEqualTo("DE");
      assertThat(added.body().at("/user/email").asText()).isEqualTo("c@x.org");
      assertThat(m.call("POST", "incoming/user/add?id=carol&pass=carol-secret-1", null).code()).isEqualTo(409);
      Reply missing = m.call("POST", "incoming/user/add?id=dave", null);
      assertThat(missing.code()).isEqualTo(400);
      assertThat(missing.body().get("message").asText()).isEqualTo("parameter 'pass' is required");
      assertThat(m.call("POST", "incoming/user/add?id=dave&pass=dave-secret-1&iso=xyz", null).body().get("message")
          .asText()).contains("iso");
      ok(m.call("POST", "incoming/user/add2?id=erin&email=e@x.org", null));
      assertThat(m.call("GET", "destination", null, "erin", "").code()).isEqualTo(401); // no password: no password login

      ok(m.call("POST", "incoming/association/add?id=carol&destination=DEST1", null));
      ok(m.call("POST", "incoming/association/add?id=carol&destination=DEST1", null)); // kept as is
      assertThat(m.call("POST", "incoming/association/add?id=carol&destination=NOPE", null).code()).isEqualTo(404);
      assertThat(m.call("GET", "incoming/association/list?id=carol", null).body().get("destinations").toString())
          .isEqualTo("[\"DEST1\"]");
      JsonNode listed = m.call("GET", "incoming/user/list?destination=DEST1", null).body().get("users");
      assertThat(listed).extracting(u -> u.get("id").asText()).containsExactly("carol");
      assertThat(m.call("GET", "incoming/user/list", null).body().get("users")).hasSize(2);
      assertThat(m.call("GET", "incoming/user/list?destination=NOPE", null).code()).isEqualTo(404);
      Reply cats = m.call("POST", "incoming/category/add?id=carol", "[\"b\",\"a\"]");
      ok(cats);
      assertThat(cats.body().get("categories").toString()).isEqualTo("[\"a\",\"b\"]");
      assertThat(m.call("POST", "incoming/category/add?id=carol", "{\"a\":1}").code()).isEqualTo(400);
      ok(m.call("DELETE", "incoming/association/del?id=carol&destination=DEST1", null));
      assertThat(m.call("DELETE", "incoming/association/del?id=carol&destination=DEST1", null).code()).isEqualTo(404);
      ok(m.call("DELETE", "incoming/user/del/erin", null));
      assertThat(m.call("DELETE", "incoming/user/del/erin", null).code()).isEqualTo(404);

      assertThat(m.call("GET", "destination/list", null).body().get("destinations")).extracting(d -> d.get("name")
          .asText()).containsExactly("DEST1", "OTHER");
      assertThat(m.call("GET", "destination/list?id=D.*", null).body().get("destinations")).hasSize(1);
      assertThat(m.call("GET", "destination/list?iso=fr", null).code()).isEqualTo(400);
      assertThat(m.call("GET", "destination/list?id=(", null).code()).isEqualTo(400);

      // host option: the form value, the module prefix in any case; the other secret is kept
      Reply opt = form(m, "POST", "host/option?hostid=h1&name=FTP.passive", "value=false", "admin", m.adminPassword);
      ok(opt);
      assertThat(opt.body().at("/host/options/ftp.passive").asText()).isEqualTo("false");
      assertThat(m.node.hosts().clearOptions(m.node.hosts().get("h1"))).containsEntry("ftp.password", "old-token");
      assertThat(m.call("POST", "host/option?hostid=h1&name=passive", null).code()).isEqualTo(400);
      assertThat(m.call("POST", "host/option?hostid=nope&name=ftp.passive", null).code()).isEqualTo(404);

      // backup of one destination, removed, restored
      Reply backup = m.call("GET", "destination/backup/DEST1", null);
      ok(backup);
      assertThat(backup.body().at("/backup/destinations")).hasSize(1);
      assertThat(backup.body().at("/backup/hosts/0/name").asText()).isEqualTo("h1");
      assertThat(m.call("GET", "destination/backup/NOPE", null).code()).isEqualTo(404);
      assertThat(m.call("GET", "destination/backup", null).body().at("/backup/destinations")).hasSize(2);
      ok(m.call("DELETE", "destination/DEST1", null));
      Reply restored = m.call("PUT", "destination/backup", Map.of("backup", backup.body().get("backup")));
      ok(restored);
      assertThat(restored.body().at("/diff/destinations/added").toString()).isEqualTo("[\"DEST1\"]");
      assertThat(restored.body().at("/diff/destinations/removed")).isEmpty(); // OTHER stays
      assertThat(m.call("GET", "destination/DEST1", null).body().at("/destination/hosts/0/host").asText()).isEqualTo("h1");
      assertThat(m.call("PUT", "destination/backup?copySharedHost=true", Map.of("backup", backup.body().get("backup")))
          .code()).isEqualTo(400);
      assertThat(m.call("PUT", "destination/backup", Map.of()).code()).isEqualTo(400);

      // datafile/put (GET), size, del
      ok(m.call("POST", "host", Map.of("name", "src", "type", "source", "transferMethod", "ftp", "address", "127.0.0.1")));
      Reply put = m.call("GET", "datafile/put?destination=DEST1&source=src:/data/a.bin&target=a.bin&priority=5"
          + "&metadata=stream%3Doper,step%3D12", null);
      ok(put);
      long id = put.body().get("dataFileId").asLong();
      assertThat(m.call("GET", "datafile/" + id, null).body().at("/datafile/priority").asInt()).isEqualTo(5);
      Reply size = m.call("GET", "datafile/size?id=" + id, null);
      ok(size);
      assertThat(size.body().get("size").asLong()).isEqualTo(-1);
      assertThat(m.call("GET", "datafile/size?id=abc", null).code()).isEqualTo(400);
      assertThat(m.call("GET", "datafile/size", null).code()).isEqualTo(400);
      assertThat(m.call("GET", "datafile/size?id=999999", null).code()).isEqualTo(404);
      assertThat(m.call("GET", "datafile/put?destination=DEST1&source=src:/x&priority=high", null).code()).isEqualTo(400);
      assertThat(m.call("GET", "datafile/put?source=src:/x", null).body().get("message").asText()).contains("destination");
      ok(m.call("DELETE", "datafile/del?id=" + id, null));
      assertThat(m.call("DELETE", "datafile/del", null).code()).isEqualTo(400);

      // an API user limited to destinationList and incomingUser(Add|List)
      Map<String, Object> doc = Map.of("version", 1, "webUsers", List.of(
          Map.of("name", "admin", "passwordHash", m.call("GET", "config", null).body().at("/config/webUsers/0/passwordHash")
              .asText(), "roles", "admin", "enabled", true),
          Map.of("name", "api1", "passwordHash", new Passwords(4).hash("api1-secret-1"), "roles", "admin", "enabled", true)));
      ok(m.call("POST", "config", doc));
      ok(m.call("GET", "destination/list", null, "api1", "api1-secret-1"));
      ok(m.call("GET", "incoming/user/list", null, "api1", "api1-secret-1"));
      Reply refused = m.call("GET", "incoming/association/list?id=carol", null, "api1", "api1-secret-1");
      assertThat(refused.code()).isEqualTo(403);
      assertThat(refused.body().get("message").asText()).contains("incomingAssociationList").contains("master.api.services.api1");
      ok(m.call("GET", "destination", null, "api1", "api1-secret-1")); // the native list is destinationList too
      Reply hosts = m.call("GET", "host", null, "api1", "api1-secret-1");
      assertThat(hosts.code()).isEqualTo(403);
      assertThat(hosts.body().get("message").asText()).contains("service hostList");
      ok(m.call("GET", "destination/DEST1", null, "api1", "api1-secret-1")); // "auth only" in OpenECPDS
      assertThat(m.call("GET", "config", null, "api1", "api1-secret-1").code()).isEqualTo(403);
      ok(m.call("GET", "version", null, null, null));
      ok(m.call("GET", "incoming/association/list?id=carol", null)); // admin is not limited

      // the v1 calls ecpds does not serve are unknown paths
      for (String path : List.of("destination/type/list", "destination/country/list", "destination/metadata/fields",
          "destination/DEST1/metadata", "monitoring/summary/p/00")) {
        Reply r = m.call("GET", path, null);
        assertThat(r.code()).as(path).isEqualTo(404);
        assertThat(r.body().get("status").asText()).isEqualTo("error");
      }
    }
  }
}
