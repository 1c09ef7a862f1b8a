package org.ecpds.testkit;

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
  private static MariaDbServer privateServer;

  private TestDatabases() {}

  public static Stream<TestDatabase> both() {
    return Stream.of(h2(), mariadb());
  }

  public static TestDatabase h2() {
    String name = "ecpds" + COUNTER.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
    return new TestDatabase("h2", "jdbc:h2:mem:" + name + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=0", "sa", "");
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
      privateServer = MariaDbServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(privateServer::close));
    }
    return privateServer.createDatabase(dbName);
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
}
