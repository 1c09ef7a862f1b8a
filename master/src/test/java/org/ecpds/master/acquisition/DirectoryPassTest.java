package org.ecpds.master.acquisition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ecpds.master.db.Database;
import org.ecpds.master.rules.TemplateContext;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

class DirectoryPassTest {
  static final AcquisitionContext CONTEXT = new AcquisitionContext("dest1",
      new TemplateContext.Host("hpc1", "hpc", "hpc.example.org", "ops", null, null, null, null), "ftp", "pw");
  final Clock clock = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);

  /** Records what a run asked for. */
  static final class Recording implements DirectoryPass.Actions {
    final List<String> calls = new ArrayList<>();
    long next = 100;

    @Override
    public long register(Registration r, boolean force) {
      calls.add((force ? "force " : "register ") + r.original());
      return next++;
    }

    @Override
    public void delete(Registration r) {
      calls.add("delete " + r.original());
    }
  }

  private static RemoteFile f(String name, long size, long mtime) {
    return new RemoteFile(name, size, mtime, false, false);
  }

  private DirectoryPass.Counts run(DirectoryRule rule, Observations obs, AcquiredFiles taken, long d, long h,
      DirectoryPass.Actions actions, List<List<RemoteFile>> pages) {
    DirectoryRule.Listing listing = rule.listing(CONTEXT, clock);
    DirectoryPass pass = new DirectoryPass(rule, listing, CONTEXT, d, h, taken, obs.previous("dest1", "hpc1", listing.path()),
        obs.record("dest1", "hpc1", listing.path()), actions, clock);
    pages.forEach(pass::page);
    return pass.finish();
  }

  @Test
  void observesFirstThenTakesStableFilesOnceAndRequeuesARewrittenOne() {
    TestDatabase tdb = TestDatabases.h2();
    try (Database db = new Database(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2)) {
      long[] ids = rows(db);
      AcquiredFiles taken = new AcquiredFiles(db);
      Observations obs = new Observations(1000);
      DirectoryRule rule = DirectoryRules.parse("[requeueonupdate=yes]/data/{.*\\.grib2}", Map.of()).rules().get(0);
      Recording actions = new Recording();

      DirectoryPass.Counts first = run(rule, obs, taken, ids[0], ids[1], actions,
          List.of(List.of(f("a.grib2", 10, 1000), f("x.txt", 1, 1000)), List.of(f("b.grib2", 20, 1000))));
      assertEquals(new DirectoryPass.Counts(3, 0, 0, 0, 0), first);
      assertEquals(List.of(), actions.calls);

      // b still growing: waits; a stable: taken
      run(rule, obs, taken, ids[0], ids[1], actions, List.of(List.of(f("a.grib2", 10, 1000), f("b.grib2", 25, 1500))));
      assertEquals(List.of("register /data/a.grib2"), actions.calls);

      // b stopped changing: taken; a unchanged: not registered again
      run(rule, obs, taken, ids[0], ids[1], actions, List.of(List.of(f("a.grib2", 10, 1000), f("b.grib2", 25, 1500))));
      assertEquals(List.of("register /data/a.grib2", "register /data/b.grib2"), actions.calls);
      assertEquals(2, taken.count(ids[0], ids[1]));

      // a rewritten: observed changing once, then requeued with force
      run(rule, obs, taken, ids[0], ids[1], actions, List.of(List.of(f("a.grib2", 12, 3000), f("b.grib2", 25, 1500))));
      run(rule, obs, taken, ids[0], ids[1], actions, List.of(List.of(f("a.grib2", 12, 3000), f("b.grib2", 25, 1500))));
      assertEquals(List.of("register /data/a.grib2", "register /data/b.grib2", "force /data/a.grib2"), actions.calls);
      assertEquals(12, taken.find(ids[0], ids[1], new DedupKey("dest1", "a.grib2", "/data/a.grib2", null)).orElseThrow().size());
    }
  }

  @Test
  void aFailedRegistrationWritesNoRowAndIsRetriedByTheNextRun() {
    TestDatabase tdb = TestDatabases.h2();
    try (Database db = new Database(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2)) {
      long[] ids = rows(db);
      AcquiredFiles taken = new AcquiredFiles(db);
      Observations obs = new Observations(1000);
      DirectoryRule rule = DirectoryRules.parse("/data/{.*\\.grib2}", Map.of()).rules().get(0);
      List<String> calls = new ArrayList<>();
      DirectoryPass.Actions failing = new DirectoryPass.Actions() {
        @Override
        public long register(Registration r, boolean force) throws Exception {
          calls.add("register " + r.original());
          throw new java.io.IOException("master stopped");
        }

        @Override
        public void delete(Registration r) {}
      };
      List<List<RemoteFile>> listing = List.of(List.of(f("a.grib2", 10, 1000)));
      run(rule, obs, taken, ids[0], ids[1], failing, listing);
      assertEquals(1, run(rule, obs, taken, ids[0], ids[1], failing, listing).failed());
      assertEquals(0, taken.count(ids[0], ids[1]));
      Recording ok = new Recording();
      run(rule, obs, taken, ids[0], ids[1], ok, listing);
      assertEquals(List.of("register /data/a.grib2"), ok.calls);
      assertEquals(1, taken.count(ids[0], ids[1]));
    }
  }

  @Test
  void actionDeleteDeletesInsteadOfRegistering() {
    TestDatabase tdb = TestDatabases.h2();
    try (Database db = new Database(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2)) {
      long[] ids = rows(db);
      Observations obs = new Observations(1000);
      DirectoryRule rule = DirectoryRules.parse("[action=delete]/tmp/{.*\\.old}", Map.of()).rules().get(0);
      Recording actions = new Recording();
      List<List<RemoteFile>> listing = List.of(List.of(f("a.old", 1, 1000), f("keep.grib2", 1, 1000)));
      run(rule, obs, new AcquiredFiles(db), ids[0], ids[1], actions, listing);
      DirectoryPass.Counts second = run(rule, obs, new AcquiredFiles(db), ids[0], ids[1], actions, listing);
      assertEquals(List.of("delete /tmp/a.old"), actions.calls);
      assertEquals(1, second.deleted());
    }
  }

  /** page() runs on the thread that reads the mover's stream, where a delete's answer also arrives. */
  @Test
  void actionDeleteWaitsForTheEndOfTheListing() {
    TestDatabase tdb = TestDatabases.h2();
    try (Database db = new Database(tdb.jdbcUrl(), tdb.user(), tdb.password(), 2)) {
      long[] ids = rows(db);
      Observations obs = new Observations(1000);
      DirectoryRule rule = DirectoryRules.parse("[action=delete]/tmp/{.*\\.old}", Map.of()).rules().get(0);
      Recording actions = new Recording();
      List<RemoteFile> page = List.of(f("a.old", 1, 1000));
      run(rule, obs, new AcquiredFiles(db), ids[0], ids[1], actions, List.of(page));
      DirectoryRule.Listing listing = rule.listing(CONTEXT, clock);
      DirectoryPass pass = new DirectoryPass(rule, listing, CONTEXT, ids[0], ids[1], new AcquiredFiles(db),
          obs.previous("dest1", "hpc1", listing.path()), obs.record("dest1", "hpc1", listing.path()), actions, clock);
      pass.page(page);
      assertEquals(List.of(), actions.calls);
      assertEquals(1, pass.finish().deleted());
      assertEquals(List.of("delete /tmp/a.old"), actions.calls);
    }
  }

  private static long[] rows(Database db) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    long d = db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO destination (name, created_ms) VALUES (:n, 0)")
        .bind("n", "dest1-" + suffix).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    long h = db.jdbi().withHandle(x -> x.createUpdate("INSERT INTO host (name, type, transfer_method, address, created_ms) "
        + "VALUES (:n, 'acquisition', 'sftp', '127.0.0.1', 0)").bind("n", "hpc1-" + suffix)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    return new long[] {d, h};
  }
}
