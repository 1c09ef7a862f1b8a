package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private OpenSSH sshd on a free loopback port with its own config, host keys and a system test
 * account (password and key login). Needs root (it creates the account) and openssh-server.
 */
public final class OpenSshServer implements AutoCloseable {
  /**
   * The default account is private to this test JVM (removed when it exits), so that test runs
   * and a developer's own servers never fight over one account's home directory.
   */
  public static final String USER = "ecpdst" + ProcessHandle.current().pid();
  private static final java.util.Set<String> CREATED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> CREATED.forEach(
        u -> Processes.runOk(List.of("userdel", "-f", u))), "ecpds-test-accounts"));
  }

  private final String user;
  private final Path base;
  private final Path home;
  private final int port;
  private final String password;
  private final Path clientKey;
  private final ServerProcess server;

  private OpenSshServer(String user, Path base, Path home, int port, String password, Path clientKey) {
    this.user = user;
    this.base = base;
    this.home = home;
    this.port = port;
    this.password = password;
    this.clientKey = clientKey;
    this.server = new ServerProcess("sshd", base, List.of("/usr/sbin/sshd", "-D", "-e", "-f",
        base.resolve("sshd_config").toString()), base.resolve("sshd.log"), port);
  }

  public static OpenSshServer start() {
    return start(USER);
  }

  /**
   * A server for its own system account {@code user} (created if missing, with /bin/bash as its
   * shell so that exec commands such as {@code scp -t} work): a server per account can run beside
   * the others in one JVM, since starting one moves its account's home.
   */
  public static OpenSshServer start(String user) {
    Path sshd = Tools.require("/usr/sbin/sshd", "openssh-server");
    Tools.require("ssh-keygen", "openssh-client");
    try {
      Path base = ServerProcess.baseDir("ecpds-sshd");
      Path home = base.resolve("home");
      String password = "Ecpds-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 10);
      ensureAccount(user, home, password);
      for (String t : List.of("ed25519")) {
        Processes.run(base, List.of("ssh-keygen", "-q", "-t", t, "-N", "", "-f", base.resolve("ssh_host_" + t + "_key").toString()));
      }
      Path clientKey = base.resolve("client_key");
      Processes.run(base, List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey.toString()));
      Path keys = Files.createDirectories(base.resolve("authorized_keys"));
      Files.copy(base.resolve("client_key.pub"), keys.resolve(user));
      int port = FreePorts.next();
      Path config = base.resolve("sshd_config");
      Files.writeString(config, String.join("\n",
          "Port " + port,
          "ListenAddress 127.0.0.1",
          "HostKey " + base.resolve("ssh_host_ed25519_key"),
          "PidFile " + base.resolve("sshd.pid"),
          "AuthorizedKeysFile " + keys + "/%u",
          "StrictModes no",
          "UsePAM no",
          "PasswordAuthentication yes",
          "AllowUsers " + user,
          "LogLevel VERBOSE",
          "MaxStartups 100:30:200",
          "MaxSessions 100",
          "Subsystem sftp internal-sftp",
          ""));
      Files.createDirectories(Path.of("/run/sshd"));
      Processes.run(base, List.of(sshd.toString(), "-t", "-f", config.toString()));
      OpenSshServer s = new OpenSshServer(user, base, home, port, password, clientKey);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private sshd: " + e.getMessage(), e);
    }
  }

  /** Starts the server again after stop(), same port, keys and files. */
  public void restart() {
    server.restart();
  }

  private static synchronized void ensureAccount(String user, Path home, String password) throws IOException {
    Path useradd = Tools.require("useradd", "passwd");
    boolean exists = Processes.runOk(List.of("getent", "passwd", user));
    if (!exists) {
      Processes.run(null, List.of(useradd.toString(), "-M", "-d", home.toString(), "-s", "/bin/bash", "-c", "ecpds test account", user));
      CREATED.add(user);
    } else {
      Processes.run(null, List.of("usermod", "-d", home.toString(), user));
    }
    Processes.run(null, List.of("chpasswd"), user + ":" + password + "\n");
    Files.createDirectories(home);
    Processes.run(null, List.of("chown", user + ":" + user, home.toString()));
  }

  public int port() {
    return port;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The account's home: remote relative paths land here. */
  public Path home() {
    return home;
  }

  public Path clientKey() {
    return clientKey;
  }

  public Path log() {
    return base.resolve("sshd.log");
  }

  /**
   * Stops the server like a host going down (per-connection sshd children, which outlive their
   * parent, are killed too); the files stay until close().
   */
  public void stop() {
    server.stop();
  }

  @Override
  public void close() {
    server.close();
  }
}
