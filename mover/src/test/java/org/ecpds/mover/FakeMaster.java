package org.ecpds.mover;

import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.ecpds.common.tls.TlsMaterial;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.MoverControlGrpc;
import org.ecpds.proto.MoverMessage;
import org.ecpds.proto.StoredAck;
import org.ecpds.proto.Welcome;

/**
 * A test double of the master's MoverControl service. The real master is being built concurrently
 * by another engineer, so the mover is tested here against this minimal stand-in that speaks the
 * same proto contract over a real (in-process) gRPC server with the real cluster-secret check.
 */
final class FakeMaster implements AutoCloseable {
  final BlockingQueue<MoverMessage> received = new LinkedBlockingQueue<>();
  /** Data file ids whose Stored report is answered with ok=false. */
  final Set<Long> refuse = ConcurrentHashMap.newKeySet();
  /** Data file ids whose Stored report gets no answer (a lost ack). */
  final Set<Long> silent = ConcurrentHashMap.newKeySet();
  /** Data file ids whose Stored report is a passing failure (ok=false, not refused). */
  final Set<Long> failing = ConcurrentHashMap.newKeySet();
  private final String name;
  private final String secret;
  private Server server;
  private volatile StreamObserver<MasterMessage> toMover;

  FakeMaster(String name, String secret) {
    this.name = name;
    this.secret = secret;
  }

  FakeMaster start() throws IOException {
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new Service(), ClusterAuth.serverInterceptor(secret)))
        .build().start();
    return this;
  }

  /** Serves over TLS on an ephemeral loopback port instead (separate-process movers). */
  int startTls(TlsMaterial tls) throws IOException {
    ServerCredentials creds = TlsServerCredentials.newBuilder()
        .keyManager(stream(tls.certificatePem()), stream(tls.privateKeyPem())).build();
    server = Grpc.newServerBuilderForPort(0, creds)
        .addService(ServerInterceptors.intercept(new Service(), ClusterAuth.serverInterceptor(secret)))
        .build().start();
    return server.getPort();
  }

  private static ByteArrayInputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  void stop() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    toMover = null;
  }

  synchronized void send(Instruction instruction) {
    toMover.onNext(MasterMessage.newBuilder().setInstruction(instruction).build());
  }

  /** The next received message matching {@code match}, skipping others (heartbeats, progress). */
  MoverMessage await(Predicate<MoverMessage> match, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      MoverMessage m = received.poll(50, TimeUnit.MILLISECONDS);
      if (m != null && match.test(m)) return m;
    }
    throw new AssertionError("no matching message from the mover within " + timeout);
  }

  private final class Service extends MoverControlGrpc.MoverControlImplBase {
    @Override
    public StreamObserver<MoverMessage> connect(StreamObserver<MasterMessage> out) {
      toMover = out;
      return new StreamObserver<>() {
        @Override
        public void onNext(MoverMessage m) {
          received.add(m);
          synchronized (FakeMaster.this) {
            if (m.hasHello()) {
              out.onNext(MasterMessage.newBuilder()
                  .setWelcome(Welcome.newBuilder().setMoverId(7).setHeartbeatSeconds(1)).build());
            } else if (m.hasStored() && !silent.contains(m.getStored().getDataFileId())) {
              long id = m.getStored().getDataFileId();
              boolean refused = refuse.contains(id);
              boolean ok = !refused && !failing.contains(id);
              out.onNext(MasterMessage.newBuilder().setStoredAck(StoredAck.newBuilder()
                  .setCorrelationId(m.getStored().getCorrelationId()).setDataFileId(id).setOk(ok).setRefused(refused)
                  .setMessage(refused ? "unknown data file" : ok ? "" : "database unavailable")).build());
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
