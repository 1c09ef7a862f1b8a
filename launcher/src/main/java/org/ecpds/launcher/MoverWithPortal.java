package org.ecpds.launcher;

import io.grpc.Channel;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.config.Config;
import org.ecpds.mover.MoverNode;
import org.ecpds.portal.ContentSource;
import org.ecpds.portal.GrpcPortalBackend;
import org.ecpds.portal.fs.MoverPortal;
import org.ecpds.portal.ftp.FtpPortalSettings;
import org.ecpds.portal.ftp.PortalFtpServer;
import org.ecpds.portal.https.PortalHttpsServer;
import org.ecpds.portal.s3.PortalS3Server;
import org.ecpds.portal.sftp.PortalSftpServer;

/**
 * A mover process: the mover itself plus the Data Portal servers that run inside it. Every protocol
 * server logs its users in through one {@link MoverPortal}, so permissions, the login guard, the
 * per-user session cap and the accounting are the same whatever client a user has. A server whose
 * port is set to -1 is not started.
 */
public final class MoverWithPortal implements AutoCloseable {
  /** A started portal server and the protocols it listens for, with their bound ports. */
  private record Started(AutoCloseable server, Map<String, Integer> ports) {}

  private final MoverNode mover;
  private final List<Started> servers;
  private final GrpcPortalBackend backend;
  private final Duration reportDrain;

  private MoverWithPortal(MoverNode mover, List<Started> servers, GrpcPortalBackend backend, Duration reportDrain) {
    this.mover = mover;
    this.servers = servers;
    this.backend = backend;
    this.reportDrain = reportDrain;
  }

  /** MiB the mover's SFTP client sends through its own portal listener after start ({@code mover.sftp.warmupMiB}). */
  static final int DEFAULT_SFTP_PUT_WARMUP_MIB = 512;

  /** portalChannel reaches the master's PortalService (in-process in the standalone). */
  public static MoverWithPortal start(Config config, Channel moverChannel, Channel portalChannel, String secret)
      throws Exception {
    MoverNode mover = new MoverNode(config, moverChannel);
    mover.start();
    List<Started> servers = new ArrayList<>();
    GrpcPortalBackend backend = null;
    try {
      ContentSource content = id -> {
        Path p = mover.dataStore().locate(id)
            .orElseThrow(() -> new NoSuchFileException("data file " + id + " is not held by mover " + mover.name()));
        return FileChannel.open(p, StandardOpenOption.READ);
      };
      backend = new GrpcPortalBackend(portalChannel, secret, mover.name(), content);
      MoverPortal portal = new MoverPortal(backend, mover.dataStore(), mover.masterLink(),
          new LoginGuard(config, Clock.systemUTC()), mover.name(), MoverPortal.Settings.from(config));
      String advertised = config.get("mover.upload.host", "127.0.0.1");

      int sftpPort = config.getPort("portal.sftp.port", PortalSftpServer.DEFAULT_PORT);
      if (sftpPort >= 0) {
        Path keyDir = config.getPath("portal.hostKeyDir",
            config.getPath("mover.dataDir", Path.of("ecpds-data", "mover")).resolve("portal"));
        PortalSftpServer sftp = new PortalSftpServer(portal, config.get("portal.sftp.bind", "0.0.0.0"), sftpPort,
            keyDir, mover.name()).warmup(config.getInt("portal.sftp.warmupMiB", PortalSftpServer.DEFAULT_WARMUP_MIB, 0,
            64 * 1024) * (1L << 20))
            .warmupUploads(new SftpPutWarmupHook(mover.transferModules()),
                config.getInt("mover.sftp.warmupMiB", DEFAULT_SFTP_PUT_WARMUP_MIB, 0, 64 * 1024) * (1L << 20));
        sftp.start();
        servers.add(new Started(sftp, Map.of("sftp", sftp.port())));
      }
      int httpsPort = config.getPort("portal.https.port", PortalHttpsServer.DEFAULT_PORT);
      if (httpsPort >= 0) {
        PortalHttpsServer https = new PortalHttpsServer(portal, config.get("portal.https.bind", "0.0.0.0"), httpsPort,
            mover.tls(), mover.name()).maxHeaderBytes(config.getInt("portal.https.maxHeaderBytes",
            PortalHttpsServer.DEFAULT_MAX_HEADER_BYTES, 1024, 1 << 20))
            .listingPageSize(config.getInt("portal.https.listingPageSize", PortalHttpsServer.DEFAULT_LISTING_PAGE_SIZE, 1,
                1_000_000));
        https.start();
        servers.add(new Started(https, Map.of("https", https.port())));
      }
      int s3Port = config.getPort("portal.s3.port", PortalS3Server.DEFAULT_PORT);
      if (s3Port >= 0) {
        Path partsDir = config.getPath("portal.s3.partsDir",
            config.getPath("mover.dataDir", Path.of("ecpds-data", "mover")).resolve("portal").resolve("s3"));
        PortalS3Server s3 = new PortalS3Server(portal, config.get("portal.s3.bind", "0.0.0.0"), s3Port, mover.tls(),
            mover.name(), config.get("portal.s3.region", "us-east-1"), partsDir,
            config.getInt("portal.s3.maxPartMiB", 20_480, 1, 5 * 1024 * 1024) * (1L << 20), Clock.systemUTC())
            .maxHeaderBytes(config.getInt("portal.s3.maxHeaderBytes", PortalS3Server.DEFAULT_MAX_HEADER_BYTES, 1024, 1 << 20));
        s3.start();
        servers.add(new Started(s3, Map.of("s3", s3.port())));
      }
      FtpPortalSettings ftpSettings = FtpPortalSettings.from(config);
      if (ftpSettings.enabled()) {
        PortalFtpServer ftp = new PortalFtpServer(portal, ftpSettings, mover.tls(), mover.name());
        ftp.start();
        // one server, up to three listeners, each advertised under its own name
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (ftp.port() >= 0) ports.put("ftps", ftp.port());
        if (ftp.implicitPort() >= 0) ports.put("ftps-implicit", ftp.implicitPort());
        if (ftp.ftpPort() >= 0) ports.put("ftp", ftp.ftpPort());
        servers.add(new Started(ftp, ports));
      }
      for (Started s : servers) s.ports().forEach((protocol, port) -> mover.advertisePortal(protocol, advertised + ":" + port));
    } catch (Exception e) {
      closeAll(servers);
      if (backend != null) backend.close(Duration.ZERO);
      mover.close();
      throw e;
    }
    // Bounded so that a master that is gone cannot hold up a mover's shutdown.
    return new MoverWithPortal(mover, servers, backend, config.getDuration("portal.reportDrain", Duration.ofSeconds(10)));
  }

  public MoverNode mover() {
    return mover;
  }

  /** The bound port of each started portal server, by protocol. */
  public Map<String, Integer> portalPorts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Started s : servers) out.putAll(s.ports());
    return out;
  }

  public int sftpPort() {
    return portalPorts().getOrDefault("sftp", -1);
  }

  private static void closeAll(List<Started> servers) {
    for (Started s : servers) {
      try {
        s.server().close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(MoverWithPortal.class).warn("cannot stop the {} portal: {}", s.ports().keySet(),
            e.toString());
      }
    }
  }

  @Override
  public void close() throws Exception {
    closeAll(servers);
    // After the servers (their last closes still report), before the mover: the master link is still up.
    if (backend != null) backend.close(reportDrain);
    mover.close();
  }
}
