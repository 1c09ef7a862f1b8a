package org.ecpds.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.mover.link.MasterChannels;
import org.ecpds.mover.link.MasterLink;
import org.ecpds.proto.Heartbeat;
import org.ecpds.proto.Hello;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The separate-process path: MasterLink over a Netty TLS channel pinned to the master's certificate. */
class MasterLinkTlsTest {
  static final String SECRET = "tls-secret";
  static final TlsMaterial MASTER_TLS = TlsMaterial.generate(List.of("127.0.0.1"));
  static FakeMaster master;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    master = new FakeMaster("unused", SECRET);
    port = master.startTls(MASTER_TLS);
  }

  @AfterAll
  static void stop() throws Exception {
    master.close();
  }

  static MasterLink link(ManagedChannel ch, String secret) {
    return new MasterLink(() -> ch, secret, () -> Hello.newBuilder().setMoverName("tls-mover").build(),
        () -> Heartbeat.getDefaultInstance(), i -> {}, Duration.ofMillis(100), Duration.ofMillis(500));
  }

  @Test
  void connectsOverTlsAndGetsStoredAcks() throws Exception {
    ManagedChannel ch = MasterChannels.tls("127.0.0.1", port, MASTER_TLS.certificatePem());
    try (MasterLink link = link(ch, SECRET)) {
      link.start();
      assertThat(link.awaitConnected(Duration.ofSeconds(15))).isTrue();
      StoredAck ack = link.reportStored(Stored.newBuilder().setDataFileId(5).setSize(1).build()).get(10, TimeUnit.SECONDS);
      assertThat(ack.getOk()).isTrue();
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void wrongSecretOrUntrustedCertificateNeverConnects() throws Exception {
    ManagedChannel good = MasterChannels.tls("127.0.0.1", port, MASTER_TLS.certificatePem());
    String otherPem = TlsMaterial.generate(List.of("127.0.0.1")).certificatePem();
    ManagedChannel untrusting = MasterChannels.tls("127.0.0.1", port, otherPem);
    try (MasterLink badSecret = link(good, "wrong"); MasterLink badCert = link(untrusting, SECRET)) {
      badSecret.start();
      badCert.start();
      assertThat(badSecret.awaitConnected(Duration.ofSeconds(2))).isFalse();
      assertThat(badCert.awaitConnected(Duration.ofMillis(100))).isFalse();
      assertThat(badSecret.reportStored(Stored.newBuilder().setDataFileId(1).build())).isCompletedExceptionally();
    } finally {
      good.shutdownNow();
      untrusting.shutdownNow();
    }
  }
}
