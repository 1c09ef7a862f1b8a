package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.proto.AdminServiceGrpc;
import org.ecpds.proto.AuthenticateRequest;
import org.ecpds.proto.DestinationActionRequest;
import org.ecpds.proto.DestinationDetailRequest;
import org.ecpds.proto.Heartbeat;
import org.ecpds.proto.Hello;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.MoverControlGrpc;
import org.ecpds.proto.MoverMessage;
import org.ecpds.proto.OverviewRequest;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.ReportDownloadRequest;
import org.ecpds.proto.TransferActionRequest;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gRPC boundary (movers, portal, monitor): bad requests get a clear refusal, never a broken stream or a leak. */
class GrpcBoundaryTest {
  static MasterHarness m;
  static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    m = new MasterHarness(TestDatabases.h2());
    channel = InProcessChannelBuilder.forName(m.inProcessName).build();
    m.call("POST", "destination", Map.of("name", "GRPC"));
  }

  @AfterAll
  static void stop() {
    channel.shutdownNow();
    m.close();
  }

  private static AdminServiceGrpc.AdminServiceBlockingStub admin() {
    return AdminServiceGrpc.newBlockingStub(channel).withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @Test
  void everyServiceRefusesAWrongOrMissingClusterSecret() {
    var wrong = ClusterAuth.callCredentials(m.node.clusterSecret() + "x");
    assertThatThrownBy(() -> AdminServiceGrpc.newBlockingStub(channel).withCallCredentials(wrong)
        .overview(OverviewRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    assertThatThrownBy(() -> PortalServiceGrpc.newBlockingStub(channel)
        .authenticate(AuthenticateRequest.newBuilder().setUser("admin").setPassword(m.adminPassword).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    Status mover = moverStream(ClusterAuth.callCredentials("nope"), MoverMessage.newBuilder()
        .setHello(Hello.newBuilder().setMoverName("intruder")).build());
    assertThat(mover.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void moverStreamsMustStartWithAHelloCarryingAValidName() {
    var secret = ClusterAuth.callCredentials(m.node.clusterSecret());
    assertThat(moverStream(secret, MoverMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build()))
        .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
    for (String name : new String[] {"", "  ", "a".repeat(65), "../etc", "mover\nDEA;x=y"}) {
      Status s = moverStream(secret, MoverMessage.newBuilder().setHello(Hello.newBuilder().setMoverName(name)).build());
      assertThat(s.getCode()).as("name '%s'", name).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(s.getDescription()).as(name).contains("mover name");
    }
  }

  @Test
  void monitorActionsAreRefusedWithAMessageNotAFailure() {
    var refused = admin().transferAction(TransferActionRequest.newBuilder().setTransferId(1).setAction("requeue")
        .setUser("admin").build());
    assertThat(refused.getOk()).as("a user name without the master's session token").isFalse();
    assertThat(refused.getMessage()).contains("log in again");
    String token = admin().login(org.ecpds.proto.LoginRequest.newBuilder().setUser("admin")
        .setPassword(m.adminPassword).build()).getSessionToken();
    var unknownAction = admin().transferAction(TransferActionRequest.newBuilder().setTransferId(1).setAction("explode")
        .setUser("admin").setSessionToken(token).build());
    assertThat(unknownAction.getOk()).isFalse();
    assertThat(unknownAction.getMessage()).contains("explode");
    var missing = admin().transferAction(TransferActionRequest.newBuilder().setTransferId(Long.MAX_VALUE)
        .setAction("requeue").setUser("admin").setSessionToken(token).build());
    assertThat(missing.getOk()).isFalse();
    assertThat(missing.getMessage()).contains("not found");
    var badDestination = admin().destinationAction(DestinationActionRequest.newBuilder().setDestination("NOPE")
        .setAction("hold").setUser("admin").setSessionToken(token).build());
    assertThat(badDestination.getOk()).isFalse();
    var badDestinationAction = admin().destinationAction(DestinationActionRequest.newBuilder().setDestination("GRPC")
        .setAction("melt").setUser("admin").setSessionToken(token).build());
    assertThat(badDestinationAction.getOk()).isFalse();
    assertThat(badDestinationAction.getMessage()).contains("melt");
    assertThat(admin().destinationDetail(DestinationDetailRequest.newBuilder().setDestination("../x").setLimit(-5).build())
        .getFound()).isFalse();
    assertThat(admin().destinationDetail(DestinationDetailRequest.newBuilder().setDestination("GRPC")
        .setLimit(Integer.MAX_VALUE).build()).getFound()).isTrue();
    assertThat(admin().login(org.ecpds.proto.LoginRequest.newBuilder().setUser("admin").setPassword("wrong").build())
        .getOk()).isFalse();
  }

  @Test
  void portalReportsOfUnknownTransfersAreNotFound() {
    var portal = PortalServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()));
    assertThat(portal.authenticate(AuthenticateRequest.newBuilder().setUser("ghost").setPassword("x").build()).getOk())
        .isFalse();
    assertThatThrownBy(() -> portal.reportDownload(ReportDownloadRequest.newBuilder().setUser("ghost")
        .setTransferId(-1).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  /** Opens a mover stream, sends one message and returns how the master ended the stream. */
  private static Status moverStream(io.grpc.CallCredentials credentials, MoverMessage first) {
    CompletableFuture<Status> end = new CompletableFuture<>();
    StreamObserver<MoverMessage> out = MoverControlGrpc.newStub(channel).withCallCredentials(credentials)
        .connect(new StreamObserver<>() {
          @Override
          public void onNext(MasterMessage value) { }

          @Override
          public void onError(Throwable t) {
            end.complete(Status.fromThrowable(t));
          }

          @Override
          public void onCompleted() {
            end.complete(Status.OK);
          }
        });
    out.onNext(first);
    try {
      return end.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the master did not end the stream", e);
    } finally {
      out.onCompleted();
    }
  }
}
