package org.ecpds.master.scheduler;

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
 * The release of a complete retrieval group looks up its fetched members: both databases must be able
 * to find them by (fetch_status, group_by) (migration V16). With fetch_status alone H2 walked every
 * fetched file ever kept, 21,000 rows after 21 groups of 1,000 in the retrieval bench.
 */
class RetrievalQueryPlanTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aGroupsFetchedMembersAreFoundByStatusAndGroup(TestDatabase tdb) {
    try (Database db = new Database(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2)) {
      String sql = RetrievalStore.GROUP_RELEASE.replace(":g", "'g1'").replace(":done", "'DONE'").replace(":fetc", "'FETC'");
      List<Map<String, Object>> plan = db.jdbi().withHandle(h -> h.createQuery("EXPLAIN " + sql).mapToMap().list());
      String text = plan.toString().toLowerCase(Locale.ROOT);
      // H2 names the index it chose; MariaDB lists the usable ones in possible_keys (its choice depends on statistics)
      assertThat(text).contains("ix_df_fetch_group");
      if (tdb.kind().equals("h2")) assertThat(text).doesNotContain("ix_df_fetch_status");
    }
  }
}
