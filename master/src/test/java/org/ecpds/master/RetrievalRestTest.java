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
  void eventFlagsAPresetFileAndItsTransfersForNotification() throws Exception {
    Reply flagged = m.call("POST", "datafile/put", Map.of("destination", "D", "source", "S:/in/ev.grb", "target", "ev.grb",
        "event", true));
    assertThat(flagged.code()).as(flagged.body().toString()).isEqualTo(200);
    Reply plain = m.call("POST", "datafile/put", Map.of("destination", "D", "source", "S:/in/plain.grb", "target", "plain.grb"));
    assertThat(plain.code()).as(plain.body().toString()).isEqualTo(200);
    assertThat(flags(flagged.body().get("dataFileId").asLong())).containsExactly(true, true);
    assertThat(flags(plain.body().get("dataFileId").asLong())).containsExactly(false, false);
  }

  /** The data file's event flag and its transfer's. */
  private static java.util.List<Boolean> flags(long fileId) {
    return m.node.database().jdbi().withHandle(h -> h.createQuery("SELECT f.event AS fe, t.event AS te FROM data_file f "
        + "JOIN data_transfer t ON t.data_file_id = f.id WHERE f.id = :id").bind("id", fileId)
        .map((rs, ctx) -> java.util.List.of(rs.getBoolean("fe"), rs.getBoolean("te"))).one());
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

  @Test
  void aBatchRegistersEveryFileInOrderOrNoneOfThem() throws Exception {
    Reply r = m.call("POST", "datafile/put/batch", Map.of("files", java.util.List.of(
        Map.of("destination", "D", "source", "S:/b/one", "groupby", "BG"),
        Map.of("destination", "D", "source", "S:/b/two", "groupby", "BG"),
        Map.of("destination", "D", "source", "S:/b/one", "groupby", "BG"))));
    assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
    var files = r.body().get("files");
    assertThat(files.size()).isEqualTo(3);
    assertThat(files.get(1).get("dataFileId").asLong()).isGreaterThan(files.get(0).get("dataFileId").asLong());
    assertThat(files.get(2).get("dataFileId").asLong()).as("the same source twice in a batch").isEqualTo(
        files.get(0).get("dataFileId").asLong());
    assertThat(files.get(2).get("duplicate").asBoolean()).isTrue();
    assertThat(m.call("GET", "datafile/group/BG", null).body().get("files").asLong()).isEqualTo(2);

    Reply bad = m.call("POST", "datafile/put/batch", Map.of("files", java.util.List.of(
        Map.of("destination", "D", "source", "S:/c/one", "groupby", "CG"),
        Map.of("destination", "D", "source", "S:/c/two", "groupby", "CG", "priority", 100))));
    assertThat(bad.code()).as(bad.body().toString()).isEqualTo(400);
    assertThat(bad.body().get("message").asText()).startsWith("files[1]: ").contains("priority");
    assertThat(m.call("GET", "datafile/group/CG", null).body().get("files").asLong()).as("all or none").isZero();
  }

  @Test
  void aBatchMustHoldBetweenOneAndAThousandFiles() throws Exception {
    Reply empty = m.call("POST", "datafile/put/batch", Map.of("files", java.util.List.of()));
    assertThat(empty.code()).isEqualTo(400);
    assertThat(empty.body().get("message").asText()).contains("at least one");
    java.util.List<Map<String, Object>> many = new java.util.ArrayList<>();
    for (int i = 0; i < 1_001; i++) many.add(Map.of("destination", "D", "source", "S:/many/" + i, "groupby", "MG"));
    Reply tooMany = m.call("POST", "datafile/put/batch", Map.of("files", many));
    assertThat(tooMany.code()).isEqualTo(400);
    assertThat(tooMany.body().get("message").asText()).contains("at most 1000");
    assertThat(m.call("POST", "datafile/put/batch", "{\"files\":[null]}").code()).isEqualTo(400);
  }
}
