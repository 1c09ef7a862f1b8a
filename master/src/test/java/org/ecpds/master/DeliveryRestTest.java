package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.proto.Instruction;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Delivery rules, aliases, operator actions and metadata through REST, on H2 and MariaDB. */
class DeliveryRestTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static long push(MasterHarness m, ScriptedMover mover, Map<String, Object> body) throws Exception {
    Reply reg = m.call("POST", "datafile", body);
    assertThat(reg.code()).as(reg.body().toString()).isEqualTo(200);
    long id = reg.body().get("dataFileId").asLong();
    assertThat(mover.stored(id, 10).getOk()).isTrue();
    return id;
  }

  private static JsonNode transfers(MasterHarness m, long dataFileId) throws Exception {
    return m.call("GET", "datafile/" + dataFileId, null).body().at("/datafile/transfers");
  }

  private static List<String> actions(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.get("actions").forEach(a -> out.add(a.asText()));
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void settingsAreValidatedWhenSaved(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      Reply badWindow = m.call("POST", "destination", Map.of("name", "W",
          "properties", "scheduler.activeTimeRange = \"25:00-26:00\""));
      assertThat(badWindow.code()).isEqualTo(400);
      assertThat(badWindow.body().get("message").asText()).contains("activeTimeRange");
      assertThat(m.call("POST", "destination", Map.of("name", "W", "ifTargetExists", "append")).code()).isEqualTo(400);
      assertThat(m.call("POST", "destination", Map.of("name", "W", "maxStart", -1)).code()).isEqualTo(400);
      Reply ok = m.call("POST", "destination", Map.of("name", "W", "ifTargetExists", "resume", "deleteFromSpool",
          "on success", "maxPending", 5, "properties", "scheduler.activeTimeRange = \"06:00-18:00\""));
      assertThat(ok.code()).isEqualTo(200);
      assertThat(ok.body().at("/destination/ifTargetExists").asText()).isEqualTo("RESUME");
      assertThat(ok.body().at("/destination/deleteFromSpool").asText()).isEqualTo("ON_SUCCESS");
      Reply badTemplate = m.call("POST", "host", Map.of("name", "h", "transferMethod", "sftp", "address", "127.0.0.1",
          "directory", "out/$dataFile[nosuch]"));
      assertThat(badTemplate.code()).isEqualTo(400);
      assertThat(badTemplate.body().get("message").asText()).contains("nosuch");
      // durations are exact: a huge lifetime is refused, never wrapped into the past (purged at once)
      for (String lifetime : new String[] {"106751991167d", "99999999999999999999s", "3651d", "0s"}) {
        Reply r = m.call("POST", "datafile", Map.of("destination", "W", "source", "/x/a", "lifetime", lifetime));
        assertThat(r.code()).as(lifetime).isEqualTo(400);
        assertThat(r.body().get("message").asText()).as(lifetime).containsAnyOf("lifetime", "too large");
      }
      assertThat(m.call("POST", "datafile", Map.of("destination", "W", "source", "/x/a", "delay", "367d")).code())
          .isEqualTo(400);

      Reply state = m.call("GET", "destination/W", null);
      assertThat(state.body().at("/destination/state").asText()).isEqualTo("FAIL");
      assertThat(state.body().at("/destination/stateName").asText()).isEqualTo("NoHosts");
      assertThat(actions(state.body().get("destination"))).contains("hold", "stop").doesNotContain("release");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void limitsAliasesActionsAndMetadata(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      assertThat(m.call("POST", "destination", Map.of("name", "SRC", "maxFileSize", 100, "maxPending", 2)).code())
          .isEqualTo(200);
      assertThat(m.call("POST", "destination", Map.of("name", "GRIB")).code()).isEqualTo(200);
      assertThat(m.call("POST", "host", Map.of("name", "h1", "transferMethod", "sftp", "address", "127.0.0.1",
          "directory", "in/$metadata[stream]")).code()).isEqualTo(200);
      assertThat(m.call("PUT", "destination/SRC/host/h1", Map.of("priority", 0)).code()).isEqualTo(200);

      // Max File Size at registration
      Reply big = m.call("POST", "datafile", Map.of("destination", "SRC", "source", "/x/big.bin", "size", 101));
      assertThat(big.code()).isEqualTo(400);
      assertThat(big.body().get("message").asText()).contains("Max File Size");

      // a conditional alias with overrides; a cycle is refused naming it
      assertThat(m.call("PUT", "destination/SRC/alias/GRIB",
          Map.of("spec", "pattern=.*\\.grib;priority=5;target=grib/$name")).code()).isEqualTo(200);
      Reply cycle = m.call("PUT", "destination/GRIB/alias/SRC", null);
      assertThat(cycle.code()).isEqualTo(400);
      assertThat(cycle.body().get("message").asText()).contains("cycle");
      assertThat(m.call("PUT", "destination/GRIB/alias/SRC", Map.of("spec", "pattern=(")).code()).isEqualTo(400);

      long grib = push(m, mover, Map.of("destination", "SRC", "source", "/x/a.grib", "size", 10,
          "metadata", Map.of("stream", "oper")));
      long txt = push(m, mover, Map.of("destination", "SRC", "source", "/x/b.txt", "size", 10, "priority", 40,
          "metadata", Map.of("stream", "enfo")));
      JsonNode gribTransfers = transfers(m, grib);
      assertThat(gribTransfers).hasSize(2);
      JsonNode alias = gribTransfers.get(1);
      assertThat(alias.get("destination").asText()).isEqualTo("GRIB");
      assertThat(alias.get("target").asText()).isEqualTo("grib/a.grib");
      assertThat(alias.get("priority").asInt()).isEqualTo(5);
      assertThat(alias.get("status").asText()).as("GRIB has no host").isEqualTo("HOLD");
      assertThat(transfers(m, txt)).hasSize(1);

      // metadata is returned, used by the template and searchable
      assertThat(m.call("GET", "datafile/" + grib, null).body().at("/datafile/metadata/stream").asText())
          .isEqualTo("oper");
      Instruction first = mover.next();
      assertThat(first.getDisseminate().getTargetPath()).isEqualTo("in/oper/a.grib");
      Reply found = m.call("GET", "datafile?destination=SRC&metadata=stream=enfo", null);
      assertThat(found.body().get("datafiles")).hasSize(1);
      assertThat(found.body().at("/datafiles/0/id").asLong()).isEqualTo(txt);

      // Max Pending: a.grib runs, b.txt waits: the third is refused
      Reply third = m.call("POST", "datafile", Map.of("destination", "SRC", "source", "/x/c.bin", "size", 10));
      assertThat(third.code()).isEqualTo(409);
      assertThat(third.body().get("message").asText()).contains("Max Pending");

      // transfer actions: exactly those offered are accepted
      long waiting = transfers(m, txt).get(0).get("id").asLong();
      JsonNode w = m.call("GET", "transfer/" + waiting, null).body().get("transfer");
      assertThat(actions(w)).containsExactlyInAnyOrder("stop", "priority");
      assertThat(m.call("POST", "transfer/" + waiting + "/requeue", null).code()).isEqualTo(409);
      assertThat(m.call("POST", "transfer/" + waiting + "/priority", Map.of("priority", 100)).code()).isEqualTo(400);
      Reply prio = m.call("POST", "transfer/" + waiting + "/priority", Map.of("priority", 7));
      assertThat(prio.body().at("/transfer/priority").asInt()).isEqualTo(7);
      Reply stopped = m.call("POST", "transfer/" + waiting + "/stop", null);
      assertThat(stopped.body().at("/transfer/status").asText()).isEqualTo("STOP");
      assertThat(actions(stopped.body().get("transfer"))).contains("requeue");
      long held = alias.get("id").asLong();
      Reply release = m.call("POST", "transfer/" + held + "/release", null);
      assertThat(release.code()).as("no host on GRIB: it stays StandBy").isEqualTo(409);

      // destination actions
      Reply hold = m.call("POST", "destination/SRC/hold", null);
      assertThat(hold.body().at("/destination/state").asText()).isEqualTo("HOLD");
      assertThat(actions(hold.body().get("destination"))).contains("release").doesNotContain("hold");
      assertThat(m.call("POST", "destination/SRC/hold", null).code()).isEqualTo(409);
      assertThat(m.call("POST", "transfer/" + waiting + "/requeue", null).code()).isEqualTo(200);
      mover.ok(first);
      assertThat(mover.poll(300)).as("held: the requeued transfer waits").isNull();
      Reply released = m.call("POST", "destination/SRC/release", null);
      assertThat(released.body().at("/destination/stateName").asText()).isIn("Idle", "Running");
      assertThat(mover.next().getDisseminate().getTransferId()).isEqualTo(waiting);

      // manual purge: open transfers stopped, the file gone
      assertThat(m.call("DELETE", "datafile/" + txt, null).code()).isEqualTo(200);
      assertThat(m.call("GET", "datafile/" + txt, null).code()).isEqualTo(404);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void concurrentHostAssociationsAllSucceed(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      m.node.hosts().create("shared", new org.ecpds.master.service.HostService.Spec("dissemination", "sftp",
          "127.0.0.1", 22, "u", "p", "", Map.of(), true));
      int n = 200;
      for (int i = 0; i < n; i++) m.node.destinations().create("C" + i, null);
      var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
      try {
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String d = "C" + i;
          done.add(pool.submit(() -> m.node.destinations().associate(d, "shared", 0)));
        }
        for (var f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS); // a deadlock surfaced as an exception here
      } finally {
        pool.shutdownNow();
      }
      for (int i = 0; i < n; i++) assertThat(m.node.destinations().hosts("C" + i)).hasSize(1);
    }
  }
}
