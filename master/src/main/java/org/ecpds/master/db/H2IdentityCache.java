package org.ecpds.master.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Raises the value cache of every identity column when the database is H2 (the standalone's).
 * H2 writes an identity sequence's state to disk in a commit of its own each time its cache of
 * values runs out (32 by default): with two history rows per transfer, those extra commits were a
 * third of the status writer's time while disseminating small files. A crash costs at most a gap
 * of unused ids, never a row. MariaDB keeps its AUTO_INCREMENT state itself: nothing to do there.
 */
final class H2IdentityCache {
  static final int CACHE = 4096;

  private H2IdentityCache() {}

  /** Idempotent: only columns below {@link #CACHE} are altered. */
  static void raise(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      if (!"H2".equalsIgnoreCase(c.getMetaData().getDatabaseProductName())) return;
      List<String> alters = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
              + " WHERE table_schema = CURRENT_SCHEMA AND is_identity = 'YES' AND identity_cache < " + CACHE)) {
        while (rs.next()) {
          alters.add("ALTER TABLE \"" + rs.getString(1) + "\" ALTER COLUMN \"" + rs.getString(2) + "\" SET CACHE " + CACHE);
        }
      }
      try (Statement s = c.createStatement()) {
        for (String a : alters) s.execute(a);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot set the identity caches of the H2 schema", e);
    }
  }
}
