package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * An index for finding a destination's data file by its target (the duplicate check of a registration
 * by source location, run for every file registered): without it each check read every data file of
 * the destination. In Java because the two databases need different DDL: MariaDB cannot index the
 * whole VARCHAR(1024) in utf8mb4 (3,072 bytes at most) and takes a prefix, which H2 does not parse.
 */
public class V15__data_file_target_index extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws Exception {
    boolean h2 = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("h2");
    try (Statement s = context.getConnection().createStatement()) {
      s.execute(h2 ? "CREATE INDEX ix_df_dest_target ON data_file (destination_id, target)"
          : "CREATE INDEX ix_df_dest_target ON data_file (destination_id, target(191))");
    }
  }
}
