package org.ecpds.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.proto.AuthenticateReply;
import org.ecpds.proto.AuthenticateRequest;
import org.ecpds.proto.DeniedEvent;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.Empty;
import org.ecpds.proto.ListFilesReply;
import org.ecpds.proto.ListFilesRequest;
import org.ecpds.proto.PortalFile;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.ReportDownloadReply;
import org.ecpds.proto.ReportDownloadRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC backend against a fake master served in-process (the real master is built elsewhere). */
class GrpcPortalBackendTest {
  private final AtomicInteger authCalls = new AtomicInteger();
  private final AtomicInteger listCalls = new AtomicInteger();
  private final AtomicInteger reported = new AtomicInteger();
  private final java.util.List<String> reportIds = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicInteger denied = new AtomicInteger();
  private Server server;
  private ManagedChannel channel;

  private final PortalServiceGrpc.PortalServiceImplBase fakeMaster = new PortalServiceGrpc.PortalServiceImplBase() {
    @Override
    public void authenticate(AuthenticateRequest r, StreamObserver<AuthenticateReply> out) {
      authCalls.incrementAndGet();
      boolean ok = r.getPassword().equals("pw");
      AuthenticateReply.Builder reply = AuthenticateReply.newBuilder().setOk(ok);
      if (ok) reply.addDestinations(DestinationAccess.newBuilder().setDestination("d").setGet(true));
      out.onNext(reply.build());
      out.onCompleted();
    }

    @Override
    public void listFiles(ListFilesRequest r, StreamObserver<ListFilesReply> out) {
      listCalls.incrementAndGet();
      out.onNext(ListFilesReply.newBuilder().addFiles(PortalFile.newBuilder().setName("f").setSize(1)).build());
      out.onCompleted();
    }

    @Override
    public void reportDownload(ReportDownloadRequest r, StreamObserver<ReportDownloadReply> out) {
      reported.addAndGet((int) r.getTransferId());
      reportIds.add(r.getReportId());
      out.onNext(ReportDownloadReply.newBuilder().setOk(true).build());
      out.onCompleted();
    }

    @Override
    public void reportDenied(DeniedEvent r, StreamObserver<Empty> out) {
      if (r.getMoverName().equals("m1")) denied.incrementAndGet();
      out.onNext(Empty.getDefaultInstance());
      out.onCompleted();
    }
  };

  private GrpcPortalBackend backend(String secret, ContentSource content) throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(fakeMaster, ClusterAuth.serverInterceptor("secret"))).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return new GrpcPortalBackend(channel, secret, "m1", content, Duration.ofMinutes(1), Duration.ofMinutes(1),
        Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() {
    if (channel != null) channel.shutdownNow();
    if (server != null) server.shutdownNow();
  }

  @Test
  void cachesSuccessfulLoginsAndListings(@TempDir Path dir) throws IOException {
    Path data = Files.writeString(dir.resolve("42"), "content");
    GrpcPortalBackend b = backend("secret", id -> FileChannel.open(dir.resolve(Long.toString(id))));
    assertThat(b.authenticate("u", "pw", "sftp", "::1")).hasValueSatisfying(u ->
        assertThat(u.browsableDestinations()).containsExactly("d"));
    assertThat(b.authenticate("u", "pw", "sftp", "::1")).isPresent();
    assertThat(b.authenticate("u", "bad", "sftp", "::1")).isEmpty();
    assertThat(b.authenticate("u", "bad", "sftp", "::1")).isEmpty();
    assertThat(authCalls).hasValue(3); // failures are never cached
    b.listFiles("u", "d");
    assertThat(b.listFiles("u", "d")).extracting(PortalFile::getName).containsExactly("f");
    assertThat(listCalls).hasValue(1);
    try (var ch = b.openContent(PortalFile.newBuilder().setDataFileId(42).build())) {
      assertThat(ch.size()).isEqualTo(Files.size(data));
    }
    b.reportDownload("u", PortalFile.newBuilder().setTransferId(7).build(), 1, "sftp", "::1");
    b.denied("u", "no", "sftp", "::1");
    assertThat(b.close(Duration.ofSeconds(5))).isEmpty(); // the report is sent from the outbox's thread
    assertThat(reported).hasValue(7);
    assertThat(reportIds).singleElement().asString().as("the id the master counts a report once by").isNotBlank();
    assertThat(denied).hasValue(1);
  }

  /**
   * What an SSH channel's close looks like when the client hangs up: the thread is interrupted and the
   * gRPC context it runs in is cancelled. A call made right there is lost; the report must not be.
   */
  @Test
  void anInterruptedCallerInACancelledContextStillGetsItsDownloadRecorded() throws Exception {
    GrpcPortalBackend b = backend("secret", id -> {
      throw new IOException("unused");
    });
    Context.CancellableContext hungUp = Context.current().withCancellation();
    hungUp.cancel(null);
    hungUp.run(() -> {
      // the old path: a direct call from this thread is cancelled before it reaches the master
      assertThatThrownBy(() -> PortalServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(ClusterAuth.callCredentials("secret"))
          .reportDownload(ReportDownloadRequest.newBuilder().setTransferId(1000).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
      Thread.currentThread().interrupt();
      try {
        b.reportDownload("u", PortalFile.newBuilder().setTransferId(9).build(), 1, "sftp", "::1");
      } catch (IOException e) {
        throw new AssertionError(e);
      } finally {
        assertThat(Thread.interrupted()).as("the caller's interrupt is left alone").isTrue();
      }
    });
    assertThat(b.close(Duration.ofSeconds(5))).isEmpty();
    assertThat(reported).hasValue(9);
  }

  @Test
  void wrongClusterSecretFailsClosed() throws IOException {
    GrpcPortalBackend b = backend("wrong", id -> {
      throw new IOException("unused");
    });
    assertThat(b.authenticate("u", "pw", "sftp", "::1")).isEmpty();
    assertThatThrownBy(() -> b.listFiles("u", "d")).isInstanceOf(IOException.class);
    assertThat(authCalls).hasValue(0);
  }
}
