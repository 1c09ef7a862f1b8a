package org.ecpds.master.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.stream.Stream;
import org.ecpds.master.db.Database;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AcquiredFilesTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest
  @MethodSource("databases")
  void aTakenFileIsFoundByItsKeyAndARequeueReplacesItsRow(TestDatabase tdb) {
    try (Database db = new Database(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2)) {
      String suffix = UUID.randomUUID().toString().substring(0, 8);
      long destination = db.jdbi().withHandle(h -> h.createUpdate(
          "INSERT INTO destination (name, created_ms) VALUES (:n, 0)").bind("n", "acq-" + suffix)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
      long host = db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO host (name, type, transfer_method, address, created_ms) "
          + "VALUES (:n, 'acquisition', 'sftp', '127.0.0.1', 0)").bind("n", "acqh-" + suffix)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
      AcquiredFiles files = new AcquiredFiles(db);
      DedupKey key = new DedupKey("acq-" + suffix, "a.grib2", "/data/20261205/a.grib2", null);
      DedupKey other = new DedupKey("acq-" + suffix, "a.grib2", "/data/20261206/a.grib2", null);

      assertTrue(files.find(destination, host, key).isEmpty());
      files.record(destination, host, key, new AcquiredFiles.Taken(10, 1000, 7L, 5000));
      files.record(destination, host, other, new AcquiredFiles.Taken(11, 1001, null, 5001));
      assertEquals(new AcquiredFiles.Taken(10, 1000, 7L, 5000), files.find(destination, host, key).orElseThrow());
      assertEquals(new Requeue.Known(11, 1001), files.find(destination, host, other).orElseThrow().known());

      files.record(destination, host, key, new AcquiredFiles.Taken(20, 2000, 8L, 6000));
      assertEquals(new AcquiredFiles.Taken(20, 2000, 8L, 6000), files.find(destination, host, key).orElseThrow());
      assertEquals(2, files.count(destination, host));
    }
  }
}
