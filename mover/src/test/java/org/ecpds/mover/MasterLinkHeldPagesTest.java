package org.ecpds.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.mover.link.MasterChannels;
import org.ecpds.mover.link.MasterLink;
import org.ecpds.proto.Heartbeat;
import org.ecpds.proto.Hello;
import org.ecpds.proto.MoverMessage;
import org.junit.jupiter.api.Test;

/**
 * A mover holding a million data files still connects: its Hello would be beyond gRPC's 4 MiB
 * message limit with their ids in it (the master refused it, RESOURCE_EXHAUSTED, at every attempt),
 * so the ids follow the Welcome in pages. Over the real transport (Netty, TLS).
 */
class MasterLinkHeldPagesTest {
  static final String SECRET = "held-secret";

  @Test
  void aMillionHeldIdsFollowTheWelcomeInPages() throws Exception {
    TlsMaterial tls = TlsMaterial.generate(List.of("127.0.0.1"));
    List<Long> held = LongStream.range(0, 1_000_000).map(i -> 1_000_000_000_000L + 3 * i).boxed().toList();
    Hello hello = Hello.newBuilder().setMoverName("big-store").build();
    assertThat(hello.toBuilder().addAllHeldDataFileIds(held).build().getSerializedSize())
        .as("the Hello as it was, with the ids in it").isGreaterThan(4 << 20);
    FakeMaster master = new FakeMaster("unused", SECRET);
    int port = master.startTls(tls);
    ManagedChannel channel = MasterChannels.tls("127.0.0.1", port, tls.certificatePem());
    try (MasterLink link = new MasterLink(() -> channel, SECRET, () -> hello, Heartbeat::getDefaultInstance, i -> { },
        Duration.ofMillis(100), Duration.ofMillis(500))) {
      link.heldFiles(() -> held);
      link.start();
      assertThat(link.awaitConnected(Duration.ofSeconds(20))).isTrue();
      MoverMessage first = master.await(MoverMessage::hasHello, Duration.ofSeconds(10));
      assertThat(first.getHello().getHeldDataFileIdsList()).isEmpty();
      List<Long> received = new ArrayList<>();
      int pages = 0;
      while (received.size() < held.size()) {
        MoverMessage page = master.await(MoverMessage::hasHeld, Duration.ofSeconds(10));
        assertThat(page.getSerializedSize()).isLessThan(2 << 20);
        received.addAll(page.getHeld().getDataFileIdsList());
        pages++;
      }
      assertThat(received).isEqualTo(held);
      assertThat(pages).isEqualTo(10);
    } finally {
      channel.shutdownNow();
      master.close();
    }
  }
}
