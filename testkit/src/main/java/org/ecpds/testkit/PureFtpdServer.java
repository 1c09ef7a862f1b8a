package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private pure-ftpd (plain FTP) on a free loopback port: the FTP server with MLSD/MLST, which
 * vsftpd lacks. One virtual user (puredb, uid 65534, chrooted to {@link #root()}); no system
 * account. Debian's pure-ftpd conflicts with vsftpd, so it is used unpacked, not installed:
 * {@code apt-get download pure-ftpd && dpkg-deb -x pure-ftpd_*.deb /opt/ecpds/pure-ftpd}
 * (or point {@code ECPDS_PURE_FTPD_ROOT} elsewhere).
 */
public final class PureFtpdServer implements AutoCloseable {
  public static final String USER = "ecpdsmlsd";
  public static final String INSTALL = "cd /tmp && apt-get update && apt-get download pure-ftpd"
      + " && dpkg-deb -x pure-ftpd_*.deb /opt/ecpds/pure-ftpd && rm pure-ftpd_*.deb";

  private final Path root;
  private final int port;
  private final String password;
  private final ServerProcess server;

  private PureFtpdServer(Path base, Path root, int port, String password, List<String> command) {
    this.root = root;
    this.port = port;
    this.password = password;
    this.server = new ServerProcess("pure-ftpd", base, command, base.resolve("pure-ftpd.out"), port);
  }

  static Path installRoot() {
    return Path.of(System.getenv().getOrDefault("ECPDS_PURE_FTPD_ROOT", "/opt/ecpds/pure-ftpd"));
  }

  public static PureFtpdServer start() {
    Path bin = installRoot().resolve("usr/sbin/pure-ftpd");
    Path pw = installRoot().resolve("usr/bin/pure-pw");
    if (!Files.isExecutable(bin) || !Files.isExecutable(pw)) {
      throw new IllegalStateException("required tool '" + bin + "' is missing (pure-ftpd conflicts with vsftpd,"
          + " so it is unpacked, not installed); install it with: " + INSTALL);
    }
    Tools.require("openssl", "openssl");
    try {
      Path base = ServerProcess.baseDir("ecpds-pureftpd");
      Path root = Files.createDirectories(base.resolve("data"));
      Processes.run(null, List.of("chown", "65534:65534", root.toString()));
      String password = "Ecpds-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 10);
      // SHA-512 crypt: pure-pw's own default (argon2id) costs seconds per login
      String hash = Processes.run(null, List.of("openssl", "passwd", "-6", "-stdin"), password + "\n").strip();
      Files.writeString(base.resolve("pureftpd.passwd"),
          USER + ":" + hash + ":65534:65534::" + root + "/./::::::::::::\n");
      Processes.run(base, List.of(pw.toString(), "mkdb", base.resolve("pureftpd.pdb").toString(),
          "-f", base.resolve("pureftpd.passwd").toString()));
      int port = FreePorts.next();
      int pasv = FreePorts.next();
      if (pasv > 65_000) pasv = 40_000 + (pasv % 20_000);
      List<String> cmd = List.of(bin.toString(), "--bind", "127.0.0.1," + port,
          "--login", "puredb:" + base.resolve("pureftpd.pdb"), "--noanonymous", "--chrooteveryone",
          "--dontresolve", "--minuid", "1", "--umask", "133:022", "--maxclientsnumber", "50",
          "--maxclientsperip", "50", "--passiveportrange", pasv + ":" + (pasv + 50),
          "--forcepassiveip", "127.0.0.1", "--pidfile", base.resolve("pure-ftpd.pid").toString());
      PureFtpdServer s = new PureFtpdServer(base, root, port, password, cmd);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private pure-ftpd: " + e.getMessage(), e);
    }
  }

  /** Starts the server again after stop(), same port and files. */
  public void restart() {
    server.restart();
  }

  /** Kills the server and its per-connection children (live sessions drop). */
  public void stop() {
    server.stop();
  }

  public int port() {
    return port;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** The virtual user's chroot: remote relative paths land here. */
  public Path root() {
    return root;
  }

  @Override
  public void close() {
    server.close();
  }
}
