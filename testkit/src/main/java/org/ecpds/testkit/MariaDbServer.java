package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A private mariadbd in a temp dir on a free loopback port, with an "ecpds" account that may create
 * databases. Fault-injection tests stop it (SIGKILL or a clean SIGTERM shutdown) and start it again
 * on the same port and data directory, as a database server restarted under load would be.
 */
public final class MariaDbServer implements AutoCloseable {
  public static final String USER = "ecpds";
  private final Path dir;
  private final int port;
  private final String password;
  private final List<String> command;
  private Process process;

  private MariaDbServer(Path dir, int port, String password, List<String> command) {
    this.dir = dir;
    this.port = port;
    this.password = password;
    this.command = command;
  }

  public static MariaDbServer start() {
    String install = "apt-get update && apt-get install -y mariadb-server mariadb-client";
    Path mariadbd = Tools.require("mariadbd", install + "   (or set ECPDS_TEST_DB_URL)");
    Path installDb = Tools.require("mariadb-install-db", install);
    Tools.require("mariadb", install);
    try {
      Path dir = Files.createTempDirectory("ecpds-mariadb");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path data = Files.createDirectories(dir.resolve("data"));
      Path tmp = Files.createDirectories(dir.resolve("tmp"));
      Processes.run(dir, List.of(installDb.toString(), "--no-defaults", "--user=root", "--datadir=" + data,
          "--tmpdir=" + tmp, "--auth-root-authentication-method=socket", "--skip-test-db", "--skip-name-resolve"));
      int port = FreePorts.next();
      List<String> command = List.of(mariadbd.toString(), "--no-defaults", "--user=root", "--datadir=" + data,
          "--tmpdir=" + tmp, "--socket=" + dir.resolve("mysqld.sock"), "--pid-file=" + dir.resolve("mysqld.pid"),
          "--port=" + port, "--bind-address=127.0.0.1", "--skip-name-resolve", "--log-error=" + dir.resolve("err.log"),
          "--skip-log-bin", "--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=2",
          "--max-connections=500");
      String password = "p" + UUID.randomUUID().toString().replace("-", "");
      MariaDbServer db = new MariaDbServer(dir, port, password, command);
      db.launch();
      db.sql("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'; "
          + "GRANT ALL ON *.* TO '" + USER + "'@'127.0.0.1';");
      return db;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private mariadbd: " + e.getMessage(), e);
    }
  }

  private void launch() throws IOException {
    process = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadbd.out").toFile()))
        .start();
    FreePorts.awaitListening(port, Duration.ofSeconds(60), process);
  }

  /** A fresh, empty database on this server. */
  public TestDatabase createDatabase(String name) {
    sql("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
    return new TestDatabase("mariadb", "jdbc:mariadb://127.0.0.1:" + port + "/" + name + "?sslMode=disable", USER, password);
  }

  /** SQL as root over the server's socket. */
  public void sql(String statements) {
    Processes.run(dir, List.of("mariadb", "--no-defaults", "-uroot", "--socket=" + dir.resolve("mysqld.sock"),
        "-e", statements));
  }

  /** SIGKILL: the server dies mid-statement, as in a crash (InnoDB recovers on the next start). */
  public void kill() {
    end(true);
  }

  /** SIGTERM: mariadbd's own clean shutdown (connections are closed by the server). */
  public void stop() {
    end(false);
  }

  /** Starts the server again on the same port and data after kill() or stop(). */
  public void restart() {
    if (process != null && process.isAlive()) return;
    try {
      launch();
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart mariadbd: " + e.getMessage(), e);
    }
  }

  private void end(boolean forcibly) {
    if (process == null) return;
    if (forcibly) process.destroyForcibly(); else process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    stop();
    Processes.deleteTree(dir);
  }
}
