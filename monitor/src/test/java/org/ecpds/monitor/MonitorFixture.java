package org.ecpds.monitor;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.common.tls.TlsMaterial;

/** A monitor on an ephemeral loopback port, talking over in-process gRPC to a {@link FakeMaster}. */
final class MonitorFixture implements AutoCloseable {
  static final String SECRET = "test-cluster-secret";

  final FakeMaster master = new FakeMaster();
  final TlsMaterial tls = TlsMaterial.generate(List.of("localhost"));
  private final Server grpc;
  private final ManagedChannel channel;
  final MonitorServer monitor;

  MonitorFixture() throws IOException {
    this(new LoginGuard(LoginGuard.DEFAULTS, java.time.Clock.systemUTC()));
  }

  MonitorFixture(LoginGuard loginGuard) throws IOException {
    String name = InProcessServerBuilder.generateName();
    grpc = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(master, ClusterAuth.serverInterceptor(SECRET)))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    monitor = new MonitorServer(channel, SECRET, "127.0.0.1", 0, tls, loginGuard);
    monitor.start();
  }

  /** Base URL; an IP literal so the browser does not try ::1 first (the certificate lists both). */
  String base() {
    return "https://127.0.0.1:" + monitor.port();
  }

  @Override
  public void close() throws InterruptedException {
    monitor.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
