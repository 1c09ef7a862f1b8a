package org.ecpds.master.db;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The length of every text column, read from the database itself after the migrations ran, so
 * that a validator can never disagree with its column: a value too long is refused as a 400 naming
 * the field and its limit, not truncated or turned into a 409/500 by the database.
 */
public final class ColumnLimits {
  private final Map<String, Integer> sizes;

  private ColumnLimits(Map<String, Integer> sizes) {
    this.sizes = Map.copyOf(sizes);
  }

  static ColumnLimits read(DataSource ds) {
    Map<String, Integer> out = new HashMap<>();
    try (Connection c = ds.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getColumns(c.getCatalog(), null, "%", "%")) {
        while (rs.next()) {
          String type = rs.getString("TYPE_NAME").toUpperCase();
          if (!type.contains("CHAR")) continue;
          String key = (rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME")).toLowerCase();
          out.put(key, rs.getInt("COLUMN_SIZE"));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the column sizes of the schema", e);
    }
    return new ColumnLimits(out);
  }

  /** The size of table.column; fails loudly for a column that does not exist (a wrong name is a bug). */
  public int max(String table, String column) {
    Integer n = sizes.get((table + "." + column).toLowerCase());
    if (n == null) throw new IllegalStateException("no text column " + table + "." + column);
    return n;
  }

  /** Refuses a value longer than its column, naming the field as the API calls it. */
  public String check(String field, String value, String table, String column) {
    int max = max(table, column);
    if (value != null && value.length() > max) {
      throw new IllegalArgumentException(field + " is too long: " + value.length() + " characters, at most " + max);
    }
    return value;
  }
}
