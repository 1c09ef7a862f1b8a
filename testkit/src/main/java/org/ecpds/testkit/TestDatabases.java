package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The two databases every persistence test runs on: H2 in MariaDB mode (the embedded default) and
 * real MariaDB. MariaDB comes from ECPDS_TEST_DB_URL when it is set (with ECPDS_TEST_DB_USER and
 * ECPDS_TEST_DB_PASSWORD), otherwise from a private mariadbd started once per test JVM in a temp dir
 * on a free port. Each call gets a fresh, empty database.
 */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static PrivateMariaDb privateServer;

  private TestDatabases() {}

  public static Stream<TestDatabase> both() {
    return Stream.of(h2(), mariadb());
  }

  public static TestDatabase h2() {
    String name = "ecpds" + COUNTER.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
    return new TestDatabase("h2", "jdbc:h2:mem:" + name + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", "");
  }

  public static synchronized TestDatabase mariadb() {
    String external = System.getenv("ECPDS_TEST_DB_URL");
    String dbName = "ecpds_t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    if (external != null && !external.isBlank()) {
      String user = System.getenv().getOrDefault("ECPDS_TEST_DB_USER", "root");
      String pass = System.getenv().getOrDefault("ECPDS_TEST_DB_PASSWORD", "");
      ExternalMariaDb.createDatabase(external, user, pass, dbName);
      return new TestDatabase("mariadb", withDatabase(external, dbName), user, pass);
    }
    if (privateServer == null) {
      privateServer = PrivateMariaDb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(privateServer::stop));
    }
    privateServer.sql("CREATE DATABASE " + dbName + " CHARACTER SET utf8mb4");
    return new TestDatabase("mariadb", "jdbc:mariadb://127.0.0.1:" + privateServer.port + "/" + dbName + "?sslMode=disable",
        PrivateMariaDb.USER, privateServer.password);
  }

  /** Replaces the database part of a jdbc:mariadb://host:port/db?params URL. */
  static String withDatabase(String url, String db) {
    int q = url.indexOf('?');
    String params = q >= 0 ? url.substring(q) : "";
    String head = q >= 0 ? url.substring(0, q) : url;
    int slash = head.indexOf('/', "jdbc:mariadb://".length());
    String hostPart = slash >= 0 ? head.substring(0, slash) : head;
    return hostPart + "/" + db + params;
  }

  /** Admin statements against an external server, through JDBC loaded reflectively (driver is the caller's). */
  static final class ExternalMariaDb {
    static void createDatabase(String url, String user, String pass, String db) {
      try (var c = java.sql.DriverManager.getConnection(withDatabase(url, ""), user, pass);
          var s = c.createStatement()) {
        s.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot create test database on ECPDS_TEST_DB_URL=" + url + ": " + e.getMessage(), e);
      }
    }
  }

  static final class PrivateMariaDb {
    static final String USER = "ecpds";
    final Path dir;
    final int port;
    final String password;
    final Process process;

    private PrivateMariaDb(Path dir, int port, String password, Process process) {
      this.dir = dir;
      this.port = port;
      this.password = password;
      this.process = process;
    }

    static PrivateMariaDb start() {
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
        Path sock = dir.resolve("mysqld.sock");
        Process p = new ProcessBuilder(mariadbd.toString(), "--no-defaults", "--user=root", "--datadir=" + data,
            "--tmpdir=" + tmp, "--socket=" + sock, "--pid-file=" + dir.resolve("mysqld.pid"), "--port=" + port,
            "--bind-address=127.0.0.1", "--skip-name-resolve", "--log-error=" + dir.resolve("err.log"),
            "--skip-log-bin", "--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=2",
            "--max-connections=500")
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true).redirectOutput(dir.resolve("mariadbd.out").toFile()).start();
        FreePorts.awaitListening(port, Duration.ofSeconds(60));
        String password = "p" + UUID.randomUUID().toString().replace("-", "");
        PrivateMariaDb db = new PrivateMariaDb(dir, port, password, p);
        db.sql("CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'; "
            + "GRANT ALL ON *.* TO '" + USER + "'@'127.0.0.1';");
        return db;
      } catch (IOException e) {
        throw new IllegalStateException("cannot start a private mariadbd: " + e.getMessage(), e);
      }
    }

    void sql(String statements) {
      Processes.run(dir, List.of("mariadb", "--no-defaults", "-uroot", "--socket=" + dir.resolve("mysqld.sock"),
          "-e", statements));
    }

    void stop() {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Processes.deleteTree(dir);
    }
  }
}
