package org.ecpds.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.UUID;
import org.ecpds.mover.link.MasterLink;
import org.ecpds.proto.Heartbeat;
import org.ecpds.proto.Hello;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MoverMessage;
import org.ecpds.testkit.Conditions;
import org.junit.jupiter.api.Test;

/**
 * A result finished while the link was down is named in the next Hello as still running, so the
 * master keeps its transfer in flight rather than running it again, and it follows the Welcome.
 */
class MasterLinkReconnectTest {
  static final String SECRET = "reconnect-secret";
  static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aResultHeldWhileDisconnectedIsNamedInTheHelloAndSentAfterTheWelcome() throws Exception {
    String name = "master-" + UUID.randomUUID();
    FakeMaster master = new FakeMaster(name, SECRET).start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    Hello hello = Hello.newBuilder().setMoverName("mover-r").addRunningCorrelationIds("still-running").build();
    try (MasterLink link = new MasterLink(() -> channel, SECRET, () -> hello, Heartbeat::getDefaultInstance, i -> { },
        Duration.ofMillis(50), Duration.ofMillis(200))) {
      link.start();
      assertThat(link.awaitConnected(WAIT)).isTrue();
      master.stop();
      Conditions.await("the link down", WAIT, () -> !link.isConnected());
      link.sendResult(InstructionResult.newBuilder().setCorrelationId("finished-meanwhile").setOk(true).build());
      master.received.clear();
      master.start();

      MoverMessage again = master.await(MoverMessage::hasHello, WAIT);
      assertThat(again.getHello().getRunningCorrelationIdsList()).containsExactly("still-running", "finished-meanwhile");
      MoverMessage result = master.await(MoverMessage::hasResult, WAIT);
      assertThat(result.getResult().getCorrelationId()).isEqualTo("finished-meanwhile");

      // once sent, it is no longer named
      master.stop();
      Conditions.await("the link down again", WAIT, () -> !link.isConnected());
      master.received.clear();
      master.start();
      assertThat(master.await(MoverMessage::hasHello, WAIT).getHello().getRunningCorrelationIdsList())
          .containsExactly("still-running");
    } finally {
      channel.shutdownNow();
      master.close();
    }
  }
}
