package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * A private vsftpd on a free loopback port with its own config, data directory and self-signed
 * certificate, for FTP and FTPS tests. Needs root (it creates the system account {@value #USER},
 * which PAM checks through {@code /etc/pam.d/other}) and the Debian packages vsftpd and openssl.
 *
 * <p>Configuration choices:
 * <ul>
 *   <li>The login directory is the data directory ({@code local_root}, chrooted,
 *       {@code allow_writeable_chroot=YES}), so remote relative paths land in {@link #root()}.</li>
 *   <li>{@code require_ssl_reuse=NO}: vsftpd's default (YES) demands that every TLS data
 *       connection resumes the control connection's TLS session, which Java's SSLSocket (and so
 *       commons-net) does not do; uploads then fail with a 0-byte file. curl and lftp cope.</li>
 *   <li>vsftpd has no MLSD/MLST: clients fall back to LIST.</li>
 *   <li>Passive ports: a range of 50 starting at a free port, advertised as 127.0.0.1.</li>
 * </ul>
 *
 * <p>The account's password is random, set once per JVM, so that several servers (plain, explicit
 * and implicit FTPS) can run side by side; each server only differs by its {@code local_root}.
 */
public final class VsftpdServer implements AutoCloseable {
  /** Private to this test JVM and removed when it exits (see OpenSshServer.USER for why). */
  public static final String USER = "ecpdsf" + ProcessHandle.current().pid();
  private static String password;

  /** How the control connection is secured. */
  public enum Mode { PLAIN, EXPLICIT_TLS, IMPLICIT_TLS }

  private final Path base;
  private final Path root;
  private final int port;
  private final Mode mode;
  private final ServerProcess server;

  private VsftpdServer(Path base, Path root, int port, Mode mode) {
    this.base = base;
    this.root = root;
    this.port = port;
    this.mode = mode;
    this.server = new ServerProcess("vsftpd", base, List.of("/usr/sbin/vsftpd", base.resolve("vsftpd.conf").toString()),
        base.resolve("vsftpd.out"), port);
  }

  public static VsftpdServer start(Mode mode) {
    Tools.require("/usr/sbin/vsftpd", "vsftpd");
    Tools.require("openssl", "openssl");
    try {
      Path base = ServerProcess.baseDir("ecpds-vsftpd");
      ensureAccount();
      Path root = Files.createDirectories(base.resolve("root"));
      Processes.run(null, List.of("chown", USER + ":" + USER, root.toString()));
      Path empty = Files.createDirectories(base.resolve("empty"));
      Processes.run(base, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
          "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout", base.resolve("key.pem").toString(), "-out", base.resolve("cert.pem").toString()));
      int port = FreePorts.next();
      int pasv = FreePorts.next();
      if (pasv > 65_000) pasv = 40_000 + (pasv % 20_000);
      boolean tls = mode != Mode.PLAIN;
      Files.writeString(base.resolve("vsftpd.conf"), String.join("\n",
          "listen=YES",
          "listen_address=127.0.0.1",
          "listen_port=" + port,
          "background=NO",
          "anonymous_enable=NO",
          "local_enable=YES",
          "write_enable=YES",
          "local_umask=022",
          "local_root=" + root,
          "chroot_local_user=YES",
          "allow_writeable_chroot=YES",
          "secure_chroot_dir=" + empty,
          "pam_service_name=ecpds-test-vsftpd",
          "userlist_enable=NO",
          "seccomp_sandbox=NO",
          "utf8_filesystem=YES",
          "delay_failed_login=0",
          "pasv_enable=YES",
          "pasv_address=127.0.0.1",
          "pasv_min_port=" + pasv,
          "pasv_max_port=" + (pasv + 50),
          "port_enable=YES",
          "connect_from_port_20=NO",
          "max_clients=0",
          "max_per_ip=0",
          "xferlog_enable=YES",
          "vsftpd_log_file=" + base.resolve("vsftpd.log"),
          "ssl_enable=" + (tls ? "YES" : "NO"),
          "implicit_ssl=" + (mode == Mode.IMPLICIT_TLS ? "YES" : "NO"),
          "rsa_cert_file=" + base.resolve("cert.pem"),
          "rsa_private_key_file=" + base.resolve("key.pem"),
          "ssl_ciphers=HIGH",
          "force_local_logins_ssl=" + (tls ? "YES" : "NO"),
          "force_local_data_ssl=" + (tls ? "YES" : "NO"),
          "require_ssl_reuse=NO",
          ""));
      VsftpdServer s = new VsftpdServer(base, root, port, mode);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private vsftpd: " + e.getMessage(), e);
    }
  }

  /** The account exists once per machine; its password is set once per JVM. */
  private static synchronized String ensureAccount() {
    if (password != null) return password;
    Path useradd = Tools.require("useradd", "passwd");
    if (!Processes.runOk(List.of("getent", "passwd", USER))) {
      // home "/" always exists (vsftpd enters the home before local_root); no login shell needed
      Processes.run(null, List.of(useradd.toString(), "-M", "-d", "/", "-s", "/usr/sbin/nologin",
          "-c", "ecpds FTP test account", USER));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> Processes.runOk(List.of("userdel", "-f", USER)),
          "ecpds-ftp-account"));
    }
    byte[] b = new byte[8];
    new SecureRandom().nextBytes(b);
    String pw = "Ecpds-" + HexFormat.of().formatHex(b);
    Processes.run(null, List.of("chpasswd"), USER + ":" + pw + "\n");
    password = pw;
    return pw;
  }

  /** Starts the server again after stop(), same port, certificate and files. */
  public void restart() {
    server.restart();
  }

  /**
   * Stops the server like a host going down: vsftpd forks two processes per session, which would
   * otherwise keep serving live connections, so they are killed too.
   */
  public void stop() {
    server.stop();
  }

  public int port() {
    return port;
  }

  public Mode mode() {
    return mode;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** The login (chroot) directory: remote relative paths land here. */
  public Path root() {
    return root;
  }

  /** The server's self-signed certificate (PEM; SAN localhost and 127.0.0.1). */
  public Path certificate() {
    return base.resolve("cert.pem");
  }

  public Path log() {
    return base.resolve("vsftpd.log");
  }

  @Override
  public void close() {
    server.close();
  }
}
