package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.cli.Ecpds;
import org.ecpds.common.config.Config;
import org.ecpds.master.MasterNode;
import org.ecpds.mover.MoverNode;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.MoverMessage;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "ghost data file": the mover stored a push and reported it, but the master's ack was lost or
 * late. A real master (H2) and a real mover in this JVM, the CLI in-process, and a link that can lose
 * the ack, lose the report or be cut. Nothing may be lost or duplicated: the content stays on the
 * mover until the master answers for good, the CLI asks the master instead of failing or pushing
 * again, and a report re-sent after a reconnect is answered without a second set of transfers.
 */
class LostStoredAckTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path tmp;
  private MasterNode master;
  private MoverNode mover;
  private ManagedChannel channel;
  private final LinkFaults faults = new LinkFaults();
  private Rest admin;
  private Path cert;

  @BeforeEach
  void start() throws Exception {
    var db = TestDatabases.h2();
    String inProcess = "lost-ack-" + System.nanoTime();
    master = new MasterNode(TestConfig.empty().with("master.dataDir", tmp.resolve("master")).with("master.db.url", db.jdbcUrl())
        .with("master.db.user", db.user()).with("master.db.password", db.password()).with("master.rest.port", 0)
        .with("master.rest.host", "127.0.0.1").with("master.grpc.port", -1).with("master.inProcessName", inProcess)
        .with("master.bcryptCost", 4)).start();
    channel = InProcessChannelBuilder.forName(inProcess).intercept(faults).build();
    mover = new MoverNode(TestConfig.empty().with("mover.name", "mover-l").with("mover.dataDir", tmp.resolve("mover"))
        .with("mover.upload.port", 0).with("mover.upload.bind", "127.0.0.1").with("cluster.secret", master.clusterSecret())
        // short waits so that the faults show at once
        .with("mover.upload.ackTimeout", "300ms").with("mover.link.initialBackoff", "50ms")
        .with("mover.link.maxBackoff", "200ms"), channel);
    mover.start();
    cert = Files.writeString(tmp.resolve("master.pem"), master.tls().certificatePem());
    admin = new Rest(master.restPort(), cert, "admin", master.generatedAdminPassword());
    admin.awaitMoverOnline("mover-l", WAIT);
    admin.call("POST", "destination", Map.of("name", "D"));
    Path target = Files.createDirectories(tmp.resolve("target"));
    admin.call("POST", "host", Map.of("name", "disk", "transferMethod", "local", "address", target.toString(),
        "directory", "out"));
    admin.call("PUT", "destination/D/host/disk", Map.of("priority", 0));
  }

  @AfterEach
  void stop() throws Exception {
    if (mover != null) mover.close();
    if (channel != null) channel.shutdownNow();
    if (master != null) master.close();
  }

  private record Push(int exit, String out, String err) {}

  private Push push(Path file, int arrivalTimeoutSec) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Ecpds.run(new String[] {"-echost", "localhost", "-ecport", String.valueOf(master.restPort()), "-cacert",
        cert.toString(), "-user", "admin", "-pass", master.generatedAdminPassword(), "-destination", "D", "-source",
        file.toString(), "-arrivalTimeoutSec", String.valueOf(arrivalTimeoutSec)},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Push(exit, out.toString(StandardCharsets.UTF_8).strip(), err.toString(StandardCharsets.UTF_8));
  }

  private JsonNode transfersOfD() throws Exception {
    return admin.call("GET", "transfer?destination=D", null).get("transfers");
  }

  @Test
  void anArrivalWhoseAckIsLostIsConfirmedByTheMasterAndSentOnce() throws Exception {
    Path file = tmp.resolve("lost-ack.bin");
    StandaloneEndToEndTest.writeRandom(file, 1_500_000, 7);
    faults.dropAcks = true;

    Push p = push(file, 60);

    assertThat(p.exit()).as(p.err()).isZero();
    long id = Long.parseLong(p.out());
    assertThat(mover.dataStore().locate(id)).as("the content stays on the mover").isPresent();
    JsonNode done = admin.awaitTransfer(admin.transferOf(id), "DONE", WAIT);
    assertThat(StandaloneEndToEndTest.sha256(tmp.resolve("target/out/lost-ack.bin"))).isEqualTo(StandaloneEndToEndTest.sha256(file));
    assertThat(mover.masterLink().outbox().isPending(id)).as("the ack never came").isTrue();

    // the link comes back: the report is sent again, answered ok, and creates nothing new
    faults.dropAcks = false;
    faults.cut();
    Conditions.await("the repeated report answered", WAIT, () -> !mover.masterLink().outbox().isPending(id));
    assertThat(transfersOfD()).singleElement().satisfies(t -> assertThat(t.get("id").asLong()).isEqualTo(done.get("id").asLong()));
    assertThat(admin.call("GET", "datafile?destination=D", null).get("datafiles")).hasSize(1);
    assertThat(mover.dataStore().locate(id)).isPresent();
  }

  @Test
  void aReportTheMasterNeverGotIsWithdrawnAndItsContentRemoved() throws Exception {
    Path file = tmp.resolve("never-reported.bin");
    StandaloneEndToEndTest.writeRandom(file, 100_000, 8);
    faults.dropStored = true;

    Push p = push(file, 1);

    assertThat(p.exit()).as(p.err()).isEqualTo(1);
    assertThat(p.out()).as("no id for a push that is not stored").isEmpty();
    assertThat(p.err()).contains("is not stored", "withdrawn");
    long id = mover.dataStore().heldIds().get(0);
    assertThat(mover.masterLink().outbox().isPending(id)).isTrue();

    // the report reaches the master after the reconnect: refused for good, the content goes
    faults.dropStored = false;
    faults.cut();
    Conditions.await("refused content removed", WAIT, () -> mover.dataStore().locate(id).isEmpty());
    assertThat(mover.masterLink().outbox().isPending(id)).isFalse();
    assertThat(transfersOfD()).isEmpty();
    assertThat(admin.call("GET", "datafile?destination=D", null).get("datafiles")).isEmpty();
  }

  /** Loses the master's StoredAcks or the mover's Stored reports, and cuts the link on demand. */
  static final class LinkFaults implements ClientInterceptor {
    volatile boolean dropAcks;
    volatile boolean dropStored;
    private final Set<ClientCall<?, ?>> calls = ConcurrentHashMap.newKeySet();

    void cut() {
      List.copyOf(calls).forEach(c -> c.cancel("link cut by the test", null));
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      ClientCall<Q, R> call = next.newCall(method, options);
      return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
        @Override
        public void start(Listener<R> listener, Metadata headers) {
          calls.add(call);
          super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
            @Override
            public void onMessage(R message) {
              if (dropAcks && message instanceof MasterMessage m && m.hasStoredAck()) {
                call.request(1); // the stub asks for the next message only after it saw one
                return;
              }
              super.onMessage(message);
            }

            @Override
            public void onClose(io.grpc.Status status, Metadata trailers) {
              calls.remove(call);
              super.onClose(status, trailers);
            }
          }, headers);
        }

        @Override
        public void sendMessage(Q message) {
          if (dropStored && message instanceof MoverMessage m && m.hasStored()) return;
          super.sendMessage(message);
        }
      };
    }
  }
}
