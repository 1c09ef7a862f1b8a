package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.ReportDownloadRequest;
import org.ecpds.master.MqttSubscriber.Received;
import org.ecpds.master.service.HostService;
import org.ecpds.proto.Instruction;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.MosquittoServer;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MQTT notifications against a private Mosquitto: one message per completed flagged transfer, none
 * for unflagged ones, and none lost while the broker is down (the outbox keeps them until acked).
 */
class MqttNotificationsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static MasterHarness master(TestDatabase db, MosquittoServer broker) throws Exception {
    return new MasterHarness(db, java.time.Clock.systemUTC(), c -> c.with("mqtt.url", broker.url())
        .with("mqtt.user", broker.user()).with("mqtt.password", broker.password()).with("mqtt.pollInterval", "50ms")
        .with("mqtt.retryMin", "100ms").with("mqtt.retryMax", "500ms"));
  }

  private static void destination(MasterHarness m, String name, String properties) throws Exception {
    Reply r = m.call("POST", "destination", Map.of("name", name, "properties", properties));
    assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
    m.node.hosts().create("h-" + name, new HostService.Spec("dissemination", "sftp", "127.0.0.1", 22, "u", "p",
        "$destination", Map.of(), true));
    m.node.destinations().associate(name, "h-" + name, 0);
  }

  /** A push through REST, stored by the mover, then delivered by it: the transfer becomes Done. */
  private static void deliver(MasterHarness m, ScriptedMover mover, String dest, String target, boolean event)
      throws Exception {
    Map<String, Object> body = new HashMap<>(Map.of("destination", dest, "source", "/src/" + target, "target", target,
        "size", 4, "metadata", Map.of("stream", "oper"), "event", event));
    Reply reg = m.call("POST", "datafile", body);
    assertThat(reg.code()).as(reg.body().toString()).isEqualTo(200);
    assertThat(mover.stored(reg.body().get("dataFileId").asLong(), 4, SHA).getOk()).isTrue();
    Instruction i = mover.next();
    assertThat(i.getDisseminate().getTargetPath()).endsWith(target);
    mover.ok(i);
  }

  private static long outbox(MasterHarness m) {
    return m.node.notifications().pending();
  }

  private static long retried(MasterHarness m) {
    return m.node.database().jdbi().withHandle(h -> h.createQuery(
        "SELECT COUNT(*) FROM notification_outbox WHERE attempts > 0").mapTo(Long.class).one());
  }

  private static List<String> topics(List<Received> rs) {
    return rs.stream().map(Received::topic).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void oneMessagePerCompletedFlaggedTransferAndNoneLostWhileTheBrokerIsDown(TestDatabase db) throws Exception {
    try (MosquittoServer broker = MosquittoServer.start();
        MasterHarness m = master(db, broker);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      // retained: a subscriber that (re)connects after a publish still gets it, so the outage check
      // below does not depend on who wins the race after the restart
      destination(m, "N", "mqtt.publish = yes\nmqtt.topic = \"ecpds/$destination/\"\nmqtt.qos = 1\nmqtt.retain = yes");
      try (MqttSubscriber sub = new MqttSubscriber(broker, "ecpds/#")) {
        deliver(m, mover, "N", "a.bin", true);
        deliver(m, mover, "N", "b.bin", false);
        deliver(m, mover, "N", "c.bin", true);
        Conditions.await("two notifications", WAIT, () -> sub.received().size() >= 2);
        // b.bin was Done before c.bin: had it been queued, it would have been published before c.bin
        Conditions.await("outbox drained", WAIT, () -> outbox(m) == 0);
        assertThat(topics(sub.received())).containsExactly("ecpds/N/a.bin", "ecpds/N/c.bin");
        JsonNode a = MasterHarness.JSON.readTree(sub.received().get(0).payload());
        assertThat(a.get("event").asText()).isEqualTo("done");
        assertThat(a.get("destination").asText()).isEqualTo("N");
        assertThat(a.get("target").asText()).isEqualTo("a.bin");
        assertThat(a.get("size").asLong()).isEqualTo(4);
        assertThat(a.get("sha256").asText()).isEqualTo(SHA);
        assertThat(a.get("host").asText()).isEqualTo("h-N");
        assertThat(a.get("mover").asText()).isEqualTo("mover-a");
        assertThat(a.at("/metadata/stream").asText()).isEqualTo("oper");
        assertThat(a.get("transferId").asLong()).isPositive();
        assertThat(a.get("id").asText()).hasSize(36);
        assertThat(a.get("time").asText()).endsWith("Z");
      }

      broker.stop();
      for (String t : List.of("d.bin", "e.bin", "f.bin")) deliver(m, mover, "N", t, true);
      deliver(m, mover, "N", "g.bin", false);
      Conditions.await("the three notifications retried while the broker is down", WAIT, () -> retried(m) == 3);
      assertThat(outbox(m)).isEqualTo(3);

      broker.restart();
      try (MqttSubscriber sub = new MqttSubscriber(broker, "ecpds/#")) {
        Conditions.await("outbox drained after the restart", WAIT, () -> outbox(m) == 0);
        Conditions.await("three notifications after the restart", WAIT, () -> sub.received().size() >= 3);
        assertThat(topics(sub.received())).containsExactlyInAnyOrder("ecpds/N/d.bin", "ecpds/N/e.bin", "ecpds/N/f.bin");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aPortalOnlyDestinationSaysAvailableOnArrivalAndDoneOnDownload(TestDatabase db) throws Exception {
    try (MosquittoServer broker = MosquittoServer.start();
        MasterHarness m = master(db, broker);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10);
        MqttSubscriber sub = new MqttSubscriber(broker, "pull/#")) {
      Reply d = m.call("POST", "destination", Map.of("name", "PULL", "properties", // no host: StandBy for the portal
          "mqtt.publish = yes\nmqtt.topic = \"pull/$destination/\""));
      assertThat(d.code()).as(d.body().toString()).isEqualTo(200);
      Reply reg = m.call("POST", "datafile", Map.of("destination", "PULL", "source", "/x/p.bin", "size", 4,
          "event", true));
      long dataFileId = reg.body().get("dataFileId").asLong();
      assertThat(mover.stored(dataFileId, 4, SHA).getOk()).isTrue();
      Conditions.await("the available notification", WAIT, () -> sub.received().size() >= 1);
      long transfer = m.call("GET", "datafile/" + dataFileId, null).body().at("/datafile/transfers/0/id").asLong();

      ManagedChannel channel = InProcessChannelBuilder.forName(m.inProcessName).directExecutor().build();
      try {
        var portal = PortalServiceGrpc.newBlockingStub(channel)
            .withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()));
        assertThat(portal.reportDownload(ReportDownloadRequest.newBuilder().setUser("u").setTransferId(transfer)
            .setBytes(4).setProtocol("sftp").setRemoteAddress("127.0.0.1").build()).getStatus()).isEqualTo("DONE");
      } finally {
        channel.shutdownNow();
      }
      Conditions.await("the done notification", WAIT, () -> sub.received().size() >= 2);
      Conditions.await("outbox drained", WAIT, () -> outbox(m) == 0);
      List<Received> got = sub.received();
      assertThat(topics(got)).containsExactly("pull/PULL/p.bin", "pull/PULL/p.bin");
      JsonNode available = MasterHarness.JSON.readTree(got.get(0).payload());
      JsonNode done = MasterHarness.JSON.readTree(got.get(1).payload());
      assertThat(available.get("event").asText()).isEqualTo("available");
      assertThat(done.get("event").asText()).isEqualTo("done");
      assertThat(available.get("transferId").asLong()).isEqualTo(transfer);
      assertThat(done.get("transferId").asLong()).isEqualTo(transfer);
      assertThat(available.get("id").asText()).isNotEqualTo(done.get("id").asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void notificationsQueuedWhileTheBrokerIsDownSurviveAMasterRestart(TestDatabase db) throws Exception {
    try (MosquittoServer broker = MosquittoServer.start()) {
      broker.stop();
      try (MasterHarness m = master(db, broker);
          ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
        destination(m, "R", "mqtt.publish = yes\nmqtt.topic = \"ecpds/$destination/\"\nmqtt.retain = yes");
        deliver(m, mover, "R", "x.bin", true);
        deliver(m, mover, "R", "y.bin", true);
        Conditions.await("both notifications retried", WAIT, () -> retried(m) == 2);
      }
      broker.restart();
      try (MasterHarness again = master(db, broker); MqttSubscriber sub = new MqttSubscriber(broker, "ecpds/#")) {
        Conditions.await("outbox drained by the new master", WAIT, () -> outbox(again) == 0);
        Conditions.await("both notifications", WAIT, () -> sub.received().size() >= 2);
        assertThat(topics(sub.received())).containsExactlyInAnyOrder("ecpds/R/x.bin", "ecpds/R/y.bin");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void wis2MessagesAndTemplatesAndBadOptionsRefusedWhenSaved(TestDatabase db) throws Exception {
    try (MosquittoServer broker = MosquittoServer.start();
        MasterHarness m = master(db, broker);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10);
        MqttSubscriber sub = new MqttSubscriber(broker, "#")) {
      Reply bad = m.call("POST", "destination", Map.of("name", "X", "properties", "mqtt.publish = yes\nmqtt.qos = 3"));
      assertThat(bad.code()).isEqualTo(400);
      assertThat(bad.body().get("message").asText()).contains("mqtt.qos");
      Reply badTopic = m.call("POST", "destination", Map.of("name", "X",
          "properties", "mqtt.publish = yes\nmqtt.topic = \"a/$nope\""));
      assertThat(badTopic.code()).isEqualTo(400);
      assertThat(badTopic.body().get("message").asText()).contains("mqtt.topic").contains("$nope");
      Reply noHref = m.call("POST", "destination", Map.of("name", "X", "properties", "mqtt.publish = yes\nmqtt.format = wis2"));
      assertThat(noHref.code()).isEqualTo(400);
      assertThat(noHref.body().get("message").asText()).contains("mqtt.href");

      destination(m, "W", "mqtt.publish = yes\nmqtt.topic = \"origin/a/wis2/ecpds/$destination\"\nmqtt.format = wis2\n"
          + "mqtt.href = \"https://portal.example/data/$destination/$dataTransfer[target]\"");
      destination(m, "T", "mqtt.publish = yes\nmqtt.topic = \"t/$destination\"\n"
          + "mqtt.payload = \"$dataTransfer[target] $dataFile[size] $metadata[stream]\"");
      deliver(m, mover, "W", "f.grib2", true);
      deliver(m, mover, "T", "g.txt", true);
      Conditions.await("two notifications", WAIT, () -> sub.received().size() >= 2);
      Received wis2 = sub.received().stream().filter(r -> r.topic().startsWith("origin/")).findFirst().orElseThrow();
      assertThat(wis2.topic()).isEqualTo("origin/a/wis2/ecpds/W");
      JsonNode n = MasterHarness.JSON.readTree(wis2.payload());
      assertThat(n.get("type").asText()).isEqualTo("Feature");
      assertThat(n.get("geometry").isNull()).isTrue();
      assertThat(n.at("/properties/data_id").asText()).isEqualTo("W/f.grib2");
      assertThat(n.at("/properties/pubtime").asText()).endsWith("Z");
      assertThat(n.at("/properties/integrity/method").asText()).isEqualTo("sha256");
      assertThat(n.at("/properties/integrity/value").asText()).isEqualTo("n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=");
      assertThat(n.at("/links/0/href").asText()).isEqualTo("https://portal.example/data/W/f.grib2");
      assertThat(n.at("/links/0/rel").asText()).isEqualTo("canonical");
      assertThat(n.at("/links/0/length").asLong()).isEqualTo(4);
      assertThat(n.at("/links/0/type").asText()).isEqualTo("application/octet-stream");
      Received text = sub.received().stream().filter(r -> r.topic().equals("t/T")).findFirst().orElseThrow();
      assertThat(text.payload()).isEqualTo("g.txt 4 oper");
    }
  }
}
