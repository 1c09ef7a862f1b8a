package org.ecpds.common.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.proto.AdminServiceGrpc;
import org.ecpds.proto.LoginReply;
import org.ecpds.proto.LoginRequest;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node links over real gRPC/TLS on loopback: a wrong secret is audited and, repeated, answered RESOURCE_EXHAUSTED. */
class ClusterAuthTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private final TlsMaterial tls = TlsMaterial.generate(List.of("localhost"));
  private Server server;
  private ManagedChannel channel;
  private EventLines events;

  @BeforeEach
  void start() throws Exception {
    AdminServiceGrpc.AdminServiceImplBase service = new AdminServiceGrpc.AdminServiceImplBase() {
      @Override
      public void login(LoginRequest r, StreamObserver<LoginReply> out) {
        out.onNext(LoginReply.newBuilder().setOk(true).build());
        out.onCompleted();
      }
    };
    server = Grpc.newServerBuilderForPort(0, GrpcTls.serverCredentials(tls))
        .addService(ServerInterceptors.intercept(service,
            ClusterAuth.serverInterceptor("right-secret", new LoginGuard(LoginGuard.DEFAULTS, clock), "master")))
        .build().start();
    channel = GrpcTls.channel("127.0.0.1", server.getPort(), tls.certificatePem());
    events = new EventLines();
  }

  @AfterEach
  void stop() throws Exception {
    events.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private Status.Code call(String secret) {
    var stub = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    if (secret != null) stub = stub.withCallCredentials(ClusterAuth.callCredentials(secret));
    try {
      stub.login(LoginRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void wrongSecretsAreAuditedThenRefusedEarlyUntilTheWaitPasses() {
    assertThat(call(null)).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(call("wrong")).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(call("wrong")).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(call("wrong")).isEqualTo(Status.Code.UNAUTHENTICATED);
    // the fourth failure set a 1 s wait: even the right secret is refused before it is compared
    assertThat(call("right-secret")).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    clock.advance(Duration.ofSeconds(1));
    assertThat(call("right-secret")).isEqualTo(Status.Code.OK);

    assertThat(events.denied()).hasSize(5);
    assertThat(events.denied().get(0)).matches("DEA;UserId=;Message=Missing cluster secret for [\\w.]*AdminService/Login"
        + ";Context=grpc,master,127\\.0\\.0\\.1");
    assertThat(events.denied().get(1)).contains("Message=Invalid cluster secret for ").endsWith(";Context=grpc,master,127.0.0.1");
    assertThat(events.denied().get(4))
        .isEqualTo("DEA;UserId=;Message=Too many failed attempts from this address;Context=grpc,master,127.0.0.1");
  }
}
