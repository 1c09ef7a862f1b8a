package org.ecpds.master.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.db.Database;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The duplicate check runs for every file registered by its source: both databases must be able to
 * answer it from the (destination, target) index (migration V15), not by reading every data file of
 * the destination.
 */
class RegistrationQueryPlanTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void theDuplicateCheckCanUseTheDestinationTargetIndex(TestDatabase tdb) {
    try (Database db = new Database(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2)) {
      String sql = RetrievalService.SAME_SOURCE.replace(":d", "1").replace(":t", "'a/b'").replace(":s", "'/x/a/b'")
          .replace(":h", "1").replace(":now", "0");
      List<Map<String, Object>> plan = db.jdbi().withHandle(h -> h.createQuery("EXPLAIN " + sql).mapToMap().list());
      String text = plan.toString().toLowerCase(Locale.ROOT);
      // H2 names the index it chose; MariaDB lists the usable ones in possible_keys (its choice depends on statistics)
      assertThat(text).contains("ix_df_dest_target");
    }
  }
}
