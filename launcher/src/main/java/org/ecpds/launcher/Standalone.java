package org.ecpds.launcher;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.config.Config;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.master.MasterNode;
import org.ecpds.monitor.MonitorServer;

/**
 * Master + mover (with portal) + monitor in one JVM, on H2 and one data directory. Internal gRPC
 * uses the in-process transport: the same code path as separate processes, without sockets.
 */
public final class Standalone implements AutoCloseable {
  private final MasterNode master;
  private final MoverWithPortal mover;
  private final MonitorServer monitor;
  private final List<ManagedChannel> channels;
  private final Path dataDir;

  private Standalone(MasterNode master, MoverWithPortal mover, MonitorServer monitor, List<ManagedChannel> channels,
      Path dataDir) {
    this.master = master;
    this.mover = mover;
    this.monitor = monitor;
    this.channels = channels;
    this.dataDir = dataDir;
  }

  public static Standalone start(Config config, PrintStream out) throws Exception {
    return start(config, out, java.time.Clock.systemUTC());
  }

  /** With the clock the master's time-based rules read (tests advance a manual clock). */
  public static Standalone start(Config config, PrintStream out, java.time.Clock clock) throws Exception {
    Path dataDir = config.getPath("standalone.dataDir", Path.of("ecpds-data")).toAbsolutePath();
    String bind = config.get("standalone.bind", "127.0.0.1");
    String inProcess = "ecpds-standalone-" + System.identityHashCode(config);
    Path tlsDir = dataDir.resolve("tls");
    if (config.get("metrics.token", "").isBlank() && config.get("metrics.tokenFile", "").isBlank()) {
      // a token of its own, generated at the first start: /metrics is never open to anyone
      Path tokenFile = dataDir.resolve("metrics-token");
      java.nio.file.Files.createDirectories(dataDir);
      org.ecpds.common.config.SecretFiles.readOrCreate(tokenFile, 24);
      config = config.copy().with("metrics.tokenFile", tokenFile);
    }
    Config masterCfg = config.copy().withDefault("master.dataDir", dataDir.resolve("master"))
        .withDefault("master.tls.dir", tlsDir).withDefault("master.rest.host", bind).withDefault("master.grpc.port", -1)
        .with("master.inProcessName", inProcess);
    MasterNode master = new MasterNode(masterCfg, clock).start();
    ManagedChannel moverChannel = InProcessChannelBuilder.forName(inProcess).build();
    ManagedChannel portalChannel = InProcessChannelBuilder.forName(inProcess).build();
    ManagedChannel monitorChannel = InProcessChannelBuilder.forName(inProcess).build();
    List<ManagedChannel> channels = List.of(moverChannel, portalChannel, monitorChannel);
    MoverWithPortal mover = null;
    MonitorServer monitor = null;
    try {
      Config moverCfg = config.copy().withDefault("mover.name", "mover-1")
          .withDefault("mover.dataDir", dataDir.resolve("mover")).withDefault("mover.tls.dir", tlsDir)
          .withDefault("mover.upload.bind", bind).withDefault("portal.sftp.bind", bind)
          .withDefault("portal.https.bind", bind).withDefault("portal.ftp.bind", bind)
          .withDefault("portal.s3.bind", bind)
          .with("cluster.secret", master.clusterSecret());
      mover = MoverWithPortal.start(moverCfg, moverChannel, portalChannel, master.clusterSecret());
      monitor = new MonitorServer(monitorChannel, master.clusterSecret(), config.get("monitor.bind", bind),
          config.getPort("monitor.port", MonitorServer.DEFAULT_PORT), TlsMaterial.loadOrCreate(tlsDir, List.of("localhost")),
          new LoginGuard(config, Clock.systemUTC()));
      monitor.start();
    } catch (Exception e) {
      if (mover != null) mover.close();
      master.close();
      channels.forEach(ManagedChannel::shutdownNow);
      throw e;
    }
    Standalone s = new Standalone(master, mover, monitor, channels, dataDir);
    s.printEndpoints(out);
    return s;
  }

  void printEndpoints(PrintStream out) {
    String cert = master.tls().certificateFile() == null ? "(in memory)" : master.tls().certificateFile().toString();
    out.println("ecpds standalone is running (data in " + dataDir + ")");
    out.println("  REST API     https://localhost:" + master.restPort() + "/ecpds/v1");
    out.println("  Monitor      https://localhost:" + monitor.port() + "/");
    mover.portalPorts().forEach((protocol, port) ->
        out.printf("  Portal %-5s port %d%n", protocol.toUpperCase(java.util.Locale.ROOT), port));
    out.println("  Upload       https://localhost:" + mover.mover().uploadServer().port() + " (used by the ecpds CLI)");
    out.println("  Metrics      https://localhost:" + master.restPort() + "/metrics and https://localhost:"
        + mover.mover().uploadServer().port() + "/metrics (bearer token: see metrics.tokenFile, by default "
        + dataDir.resolve("metrics-token") + ")");
    out.println("  Certificate  " + cert + "  SHA-256 " + master.tls().fingerprintSha256());
    if (master.generatedAdminPassword() != null) {
      out.println("  Admin        user admin, password " + master.generatedAdminPassword()
          + "  (also in " + master.adminPasswordFile() + ")");
    } else {
      out.println("  Admin        user admin, password in " + master.adminPasswordFile());
    }
    out.flush();
  }

  public MasterNode master() {
    return master;
  }

  public MoverWithPortal mover() {
    return mover;
  }

  public MonitorServer monitor() {
    return monitor;
  }

  @Override
  public void close() throws Exception {
    monitor.close();
    mover.close();
    master.close();
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
