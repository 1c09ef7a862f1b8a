package org.ecpds.launcher;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.ecpds.common.config.ClusterSecret;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.config.Config;
import org.ecpds.common.grpc.GrpcTls;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.master.MasterNode;
import org.ecpds.monitor.MonitorServer;

/** Each process on its own (separate machines): they meet over TLS gRPC with the cluster secret. */
final class Processes {
  static final int MASTER_GRPC_PORT = 2641;

  private Processes() {}

  static AutoCloseable master(Config config, PrintStream out) throws Exception {
    MasterNode m = new MasterNode(config).start();
    out.println("ecpds master is running");
    out.println("  REST API     https://localhost:" + m.restPort() + "/ecpds/v1");
    out.println("  gRPC         port " + m.grpcPort() + " (movers and monitor; TLS + cluster secret)");
    out.println("  Certificate  " + m.tls().certificateFile());
    out.println("  Secret       " + (config.get("cluster.secret", null) != null ? "cluster.secret (inline in the configuration)"
        : config.getPath("cluster.secretFile", m.dataDir().resolve("cluster.secret"))));
    if (m.generatedAdminPassword() != null) {
      out.println("  Admin        user admin, password " + m.generatedAdminPassword() + " (also in " + m.adminPasswordFile() + ")");
    }
    out.flush();
    return m;
  }

  static AutoCloseable mover(Config config, PrintStream out) throws Exception {
    config.withDefault("master.port", MASTER_GRPC_PORT);
    String secret = ClusterSecret.require(config);
    ManagedChannel portalChannel = masterChannel(config);
    MoverWithPortal m = MoverWithPortal.start(config, null, portalChannel, secret);
    out.println("ecpds mover " + m.mover().name() + " is running");
    out.println("  Upload       https://localhost:" + m.mover().uploadServer().port());
    m.portalPorts().forEach((protocol, port) ->
        out.printf("  Portal %-5s port %d%n", protocol.toUpperCase(java.util.Locale.ROOT), port));
    out.flush();
    return () -> {
      m.close();
      portalChannel.shutdownNow();
    };
  }

  static AutoCloseable monitor(Config config, PrintStream out) throws Exception {
    ManagedChannel channel = masterChannel(config);
    Path tlsDir = config.getPath("monitor.tls.dir", Path.of("ecpds-data", "monitor", "tls"));
    MonitorServer monitor = new MonitorServer(channel, ClusterSecret.require(config), config.get("monitor.bind", "0.0.0.0"),
        config.getPort("monitor.port", MonitorServer.DEFAULT_PORT), TlsMaterial.loadOrCreate(tlsDir, List.of("localhost")),
        new LoginGuard(config, Clock.systemUTC()));
    monitor.start();
    out.println("ecpds monitor is running at https://localhost:" + monitor.port() + "/");
    out.flush();
    return () -> {
      monitor.close();
      channel.shutdownNow();
    };
  }

  private static ManagedChannel masterChannel(Config config) throws IOException {
    Path pem = config.getPath("master.trustCert", null);
    if (pem == null) throw new IllegalArgumentException("missing configuration key: master.trustCert");
    return GrpcTls.channel(config.get("master.host", "127.0.0.1"), config.getRemotePort("master.port", MASTER_GRPC_PORT), Files.readString(pem));
  }
}
