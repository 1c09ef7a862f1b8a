package org.ecpds.launcher;

import io.grpc.Channel;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.config.Config;
import org.ecpds.mover.MoverNode;
import org.ecpds.portal.ContentSource;
import org.ecpds.portal.GrpcPortalBackend;
import org.ecpds.portal.sftp.PortalSftpServer;

/** A mover process: the mover itself plus the portal servers that run inside it. */
public final class MoverWithPortal implements AutoCloseable {
  private final MoverNode mover;
  private final PortalSftpServer sftp;
  private final GrpcPortalBackend backend;
  private final Duration reportDrain;

  private MoverWithPortal(MoverNode mover, PortalSftpServer sftp, GrpcPortalBackend backend, Duration reportDrain) {
    this.mover = mover;
    this.sftp = sftp;
    this.backend = backend;
    this.reportDrain = reportDrain;
  }

  /** portalChannel reaches the master's PortalService (in-process in the standalone). */
  public static MoverWithPortal start(Config config, Channel moverChannel, Channel portalChannel, String secret)
      throws Exception {
    MoverNode mover = new MoverNode(config, moverChannel);
    mover.start();
    PortalSftpServer sftp = null;
    GrpcPortalBackend backend = null;
    try {
      int port = config.getPort("portal.sftp.port", PortalSftpServer.DEFAULT_PORT);
      if (port >= 0) {
        ContentSource content = id -> {
          Path p = mover.dataStore().locate(id)
              .orElseThrow(() -> new NoSuchFileException("data file " + id + " is not held by mover " + mover.name()));
          return FileChannel.open(p, StandardOpenOption.READ);
        };
        backend = new GrpcPortalBackend(portalChannel, secret, mover.name(), content);
        Path keyDir = config.getPath("portal.hostKeyDir", config.getPath("mover.dataDir", Path.of("ecpds-data", "mover")).resolve("portal"));
        sftp = new PortalSftpServer(backend, config.get("portal.sftp.bind", "0.0.0.0"), port, keyDir, mover.name(),
            new LoginGuard(config, Clock.systemUTC()));
        sftp.start();
        mover.advertisePortal("sftp", config.get("mover.upload.host", "127.0.0.1") + ":" + sftp.port());
      }
    } catch (Exception e) {
      if (backend != null) backend.close(Duration.ZERO);
      mover.close();
      throw e;
    }
    // Bounded so that a master that is gone cannot hold up a mover's shutdown.
    return new MoverWithPortal(mover, sftp, backend, config.getDuration("portal.reportDrain", Duration.ofSeconds(10)));
  }

  public MoverNode mover() {
    return mover;
  }

  public int sftpPort() {
    return sftp == null ? -1 : sftp.port();
  }

  @Override
  public void close() throws Exception {
    if (sftp != null) sftp.close();
    // After the servers (their last closes still report), before the mover: the master link is still up.
    if (backend != null) backend.close(reportDrain);
    mover.close();
  }
}
