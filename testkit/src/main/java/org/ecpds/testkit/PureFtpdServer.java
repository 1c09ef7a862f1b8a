package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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

  private final Path base;
  private final Path root;
  private final int port;
  private final String password;
  private final List<String> command;
  private Process process;

  private PureFtpdServer(Path base, Path root, int port, String password, List<String> command) {
    this.base = base;
    this.root = root;
    this.port = port;
    this.password = password;
    this.command = command;
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
      Path base = Files.createTempDirectory("ecpds-pureftpd");
      Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
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
      s.process = s.launch();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private pure-ftpd: " + e.getMessage(), e);
    }
  }

  private Process launch() throws IOException {
    Process p = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("pure-ftpd.out").toFile()))
        .start();
    FreePorts.awaitListening(port, Duration.ofSeconds(20));
    return p;
  }

  public void restart() {
    try {
      process = launch();
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart pure-ftpd: " + e.getMessage(), e);
    }
  }

  /** Kills the server and its per-connection children (live sessions drop). */
  public void stop() {
    if (process == null) return;
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    stop();
    Processes.deleteTree(base);
  }
}
