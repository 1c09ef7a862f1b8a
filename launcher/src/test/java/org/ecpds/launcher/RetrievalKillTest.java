package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ecpds.launcher.FaultCluster.Role;
import org.ecpds.testkit.Conditions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Issue 9, kill -9 during retrieval and acquisition (master on MariaDB, mover and monitor as separate
 * processes, a real sshd as source): the mover killed while it fetches a group, the master killed
 * while an acquisition run registers. Afterwards every source is one data file, fetched with the
 * source's bytes, the store holds exactly those files and nothing partial, and nothing is stuck.
 */
class RetrievalKillTest {
  private static final Duration SETTLE = Duration.ofSeconds(90);

  /** 40 files of 1 MiB through a link of 1 MiB/s per connection: each fetch takes about 1 s. */
  private static final int FETCHED = 40;
  private static final long FETCH_LINK = 1024 * 1024;
  /** The acquisition's link: 512 KiB/s per connection. */
  private static final long ACQUISITION_LINK = 512 * 1024;

  /** Large files whose fetches (8 MiB on the slow link: about 16 s) outlast a master's restart. */
  private static final int LARGE = 3;
  /** Enough small files that registering them takes seconds, small enough that fetching them is quick. */
  private static final int SMALL = 200;

  @Test
  void moverKilledDuringFetchesEndsWithEveryFileFetchedOnce(TestInfo info) throws Exception {
    Path dir = clusterDir(info);
    try (FaultCluster c = FaultCluster.start(dir, false);
        CuttableProxy slow = new CuttableProxy(c.sshd().port(), FETCH_LINK)) {
      Rest admin = c.admin();
      admin.call("POST", "host", Map.of("name", "SRC", "type", "source", "transferMethod", "sftp", "address",
          "127.0.0.1", "port", slow.port(), "login", c.sshd().user(), "password", c.sshd().password()));
      Path src = Files.createDirectories(c.sshd().home().resolve("src"));
      Map<String, String> shas = new HashMap<>();
      StringBuilder index = new StringBuilder();
      for (int i = 0; i < FETCHED; i++) {
        String name = String.format("g%02d.bin", i);
        StandaloneEndToEndTest.writeRandom(src.resolve(name), 1024 * 1024 + i, 100 + i);
        shas.put(name, StandaloneEndToEndTest.sha256(src.resolve(name)));
        index.append("SRC:src/").append(name).append('\n');
      }
      Path indexFile = Files.writeString(c.moverDir(Role.MOVER).resolveSibling("index.txt"), index);
      JavaProcess.Result reg = JavaProcess.run("org.ecpds.cli.Ecpds", StandaloneEndToEndTest.concat(c.cliArgs(),
          "-destination", FaultCluster.DESTINATION, "-groupby", "G", "-index", indexFile.toString()), indexFile.getParent());
      assertThat(reg.exit()).as(reg.err()).isZero();
      List<Long> ids = reg.out().lines().map(Long::parseLong).toList();
      assertThat(ids).hasSize(FETCHED).doesNotHaveDuplicates();

      // some files fetched, some being written to the store, some not started
      Conditions.await("a first wave fetched and the next being written", SETTLE,
          () -> group(admin, "G").at("/fetch/DONE").asLong() >= 4 && !partials(c).isEmpty());
      c.kill(Role.MOVER);
      int partialAtKill = partials(c).size();
      assertThat(partialAtKill).as("the kill left partial files in the store's temp directory").isPositive();
      long fetchedBeforeKill = group(admin, "G").at("/fetch/DONE").asLong();
      assertThat(fetchedBeforeKill).isLessThan(FETCHED);

      c.launch(Role.MOVER);
      admin.awaitMoverOnline(FaultCluster.MOVER_NAME, FaultCluster.START);
      JsonNode done = Conditions.awaitValue("group G complete", SETTLE, () -> {
        JsonNode g = group(admin, "G");
        return java.util.Optional.of(g).filter(x -> x.get("complete").asBoolean() || x.get("failed").asBoolean());
      });
      assertThat(done.get("failed").asBoolean()).as(done.toString()).isFalse();
      assertThat(done.at("/fetch/DONE").asLong()).isEqualTo(FETCHED);

      Map<Long, String> byId = assertOneFetchedFilePerSource(admin, FaultCluster.DESTINATION, shas, FETCHED);
      assertThat(byId.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertStoreHoldsExactly(c, byId, shas);

      // the interrupted fetches went back to Preset and were fetched again; then all were disseminated
      int refetched = 0;
      for (long id : ids) {
        long transferId = admin.transferOf(id);
        JsonNode t = admin.awaitTransfer(transferId, "DONE", SETTLE);
        List<String> statuses = t.get("history").findValuesAsText("status");
        assertThat(statuses).startsWith("INIT", "SCHE", "FETC").endsWith("WAIT", "EXEC", "DONE");
        if (statuses.subList(3, statuses.size()).contains("SCHE")) refetched++;
        String name = byId.get(id);
        assertThat(StandaloneEndToEndTest.sha256(c.targetDir().resolve(name))).as(name).isEqualTo(shas.get(name));
      }
      assertThat(refetched).as("fetches interrupted by the kill and sent again").isPositive();
      assertThat(events(c, "RET;")).as("fetches that failed").noneMatch(l -> l.contains("Status=false"));
      try (var out = Files.list(c.targetDir())) {
        assertThat(out.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(shas.keySet());
      }
      System.out.println("RetrievalKillTest mover kill: files " + FETCHED + ", fetched before the kill " + fetchedBeforeKill
          + ", partial files at the kill " + partialAtKill + ", fetched again " + refetched + ", lost 0, duplicated 0");
    }
    deleteTree(dir);
  }

  /**
   * The host's first rule takes a few large files, whose fetches (on a slow link) outlast the master's
   * restart; the second rule takes many small files, registered one by one: the master is killed while
   * it registers them and while the mover fetches the large ones.
   */
  @Test
  void masterKilledDuringAnAcquisitionRunRegistersEveryFileOnce(TestInfo info) throws Exception {
    Path dir = clusterDir(info);
    try (FaultCluster c = FaultCluster.start(dir, false);
        CuttableProxy slow = new CuttableProxy(c.sshd().port(), ACQUISITION_LINK)) {
      Rest admin = c.admin();
      Path big = Files.createDirectories(c.sshd().home().resolve("acq/big"));
      Path small = Files.createDirectories(c.sshd().home().resolve("acq/small"));
      Map<String, String> shas = new HashMap<>();
      for (int i = 0; i < LARGE; i++) write(big, String.format("big%d.bin", i), 8L * 1024 * 1024 + i, 500 + i, shas);
      for (int i = 0; i < SMALL; i++) write(small, String.format("obs%03d.bin", i), 2048 + i, 1000 + i, shas);
      int all = LARGE + SMALL;
      // no dissemination host: fetched files wait in StandBy, so this test is about acquisition alone
      admin.call("POST", "destination", Map.of("name", "ACQIN"));
      admin.call("POST", "host", Map.of("name", "ACQ", "type", "acquisition", "transferMethod", "sftp",
          "address", "127.0.0.1", "port", slow.port(), "login", c.sshd().user(), "password", c.sshd().password(),
          // the small files go first (priority 10 < 99): after the restart the large ones are sent again later,
          // under other fetch ids than the ones the mover is still running them under
          "directory", big + "/{.*\\.bin}\n[priority=10]" + small + "/{.*\\.bin}\n", "acquisitionFrequency", "1s"));
      admin.call("PUT", "destination/ACQIN/host/ACQ", Map.of("priority", 0));

      // the first run only observes; the second registers the large files, then the small ones one by one
      String group = "ACQ_ACQIN_ACQ";
      Conditions.await("small files being registered while large ones are fetched", SETTLE,
          () -> groupFiles(admin, group) > LARGE && !partials(c).isEmpty());
      c.kill(Role.MASTER);

      long atKill = sql(c, "SELECT COUNT(*) FROM data_file");
      assertThat(atKill).as("registered when the master was killed").isBetween(LARGE + 1L, all - 1L);
      long fetching = sql(c, "SELECT COUNT(*) FROM data_file WHERE fetch_status = 'FETC'");
      assertThat(fetching).as("fetches under way").isPositive();

      c.launch(Role.MASTER);
      Rest again = c.admin();
      again.awaitMoverOnline(FaultCluster.MOVER_NAME, FaultCluster.START);
      // after a restart the first listing only observes again, the next one registers the rest
      JsonNode done = Conditions.awaitValue("every acquired file fetched", SETTLE, () -> {
        JsonNode g = group(again, group);
        return java.util.Optional.of(g).filter(x -> x.get("files").asLong() >= all
            && (x.get("complete").asBoolean() || x.get("failed").asBoolean()));
      });
      assertThat(done.get("failed").asBoolean()).as(done.toString()).isFalse();
      assertThat(done.at("/fetch/DONE").asLong()).as(done.toString()).isEqualTo(all);

      // two more runs (they never overlap, so the second started after the group completed) take nothing new
      int runs = acquisitionRuns(c);
      Conditions.await("two more acquisition runs", SETTLE, () -> acquisitionRuns(c) >= runs + 2);
      Map<Long, String> byId = assertOneFetchedFilePerSource(again, "ACQIN", shas, all);
      assertStoreHoldsExactly(c, byId, shas);
      // the dedup memory: one row per file, each naming its data file
      assertThat(sql(c, "SELECT COUNT(DISTINCT a.dedup_hash) FROM acquired_file a JOIN data_file f ON f.id = a.data_file_id"))
          .isEqualTo(all);
      assertThat(sql(c, "SELECT COUNT(*) FROM acquired_file")).isEqualTo(all);
      assertThat(events(c, "ACQ;")).as("registrations that failed").noneMatch(l -> l.matches(".*;Failed=[1-9].*"));
      assertThat(events(c, "RET;")).as("fetches that failed").noneMatch(l -> l.contains("Status=false"));
      long joined;
      try (var lines = Files.lines(c.processLog(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
        joined = lines.filter(l -> l.contains("is being fetched already")).count();
      }
      System.out.println("RetrievalKillTest master kill: files " + all + ", registered before the kill " + atKill
          + " (fetching " + fetching + "), fetches sent again and joined on the mover " + joined
          + ", lost 0, duplicated 0");
    }
    deleteTree(dir);
  }

  private static void write(Path dir, String name, long size, long seed, Map<String, String> shas) throws Exception {
    StandaloneEndToEndTest.writeRandom(dir.resolve(name), size, seed);
    shas.put(name, StandaloneEndToEndTest.sha256(dir.resolve(name)));
  }

  /**
   * The destination's data files: exactly one per source name, each fetched (arrived) with the
   * source's SHA-256; returns data file id -> name.
   */
  private static Map<Long, String> assertOneFetchedFilePerSource(Rest admin, String destination,
      Map<String, String> shas, int expected) throws Exception {
    JsonNode files = admin.call("GET", "datafile?destination=" + destination + "&limit=1000", null).get("datafiles");
    Map<Long, String> byId = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (JsonNode f : files) {
      String name = f.get("target").asText();
      assertThat(names.add(name)).as("a second data file for " + name).isTrue();
      assertThat(f.get("arrived").asBoolean()).as(name + " arrived").isTrue();
      assertThat(f.get("sha256").asText()).as(name).isEqualTo(shas.get(name));
      byId.put(f.get("id").asLong(), name);
    }
    assertThat(names).hasSize(expected).containsExactlyInAnyOrderElementsOf(shas.keySet());
    return byId;
  }

  /** The mover's store: one complete file per data file with the source's bytes, no temp file left. */
  private static void assertStoreHoldsExactly(FaultCluster c, Map<Long, String> byId, Map<String, String> shas)
      throws Exception {
    assertThat(partials(c)).as("temp files in the store").isEmpty();
    List<Path> held = EnvironmentFaultCluster.storeFiles(c.moverVolume(), "data");
    assertThat(held).extracting(p -> Long.parseLong(p.getFileName().toString()))
        .containsExactlyInAnyOrderElementsOf(byId.keySet());
    for (Path p : held) {
      String name = byId.get(Long.parseLong(p.getFileName().toString()));
      assertThat(StandaloneEndToEndTest.sha256(p)).as("stored " + name).isEqualTo(shas.get(name));
    }
  }

  /** One number from the master's database (read directly: the master may be down). */
  private static long sql(FaultCluster c, String query) throws Exception {
    try (var conn = java.sql.DriverManager.getConnection(c.db().jdbcUrl(), c.db().user(), c.db().password());
        var rs = conn.createStatement().executeQuery(query)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  private static List<Path> partials(FaultCluster c) throws Exception {
    return EnvironmentFaultCluster.storeFiles(c.moverVolume(), ".tmp");
  }

  private static JsonNode group(Rest admin, String group) throws Exception {
    return admin.call("GET", "datafile/group/" + group, null);
  }

  private static long groupFiles(Rest admin, String group) throws Exception {
    return group(admin, group).get("files").asLong();
  }

  /** ACQ event lines written so far (one per run: its listing, or why it could not list). */
  private static int acquisitionRuns(FaultCluster c) throws Exception {
    return events(c, "ACQ;").size();
  }

  /** The event records of one code (OpenECPDS's "CODE;Key=Value;..."), from the processes' output. */
  private static List<String> events(FaultCluster c, String code) throws Exception {
    try (var lines = Files.lines(c.processLog(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> l.contains("ecpds.events - " + code)).toList();
    }
  }

  /** A passed test's cluster (a failed one keeps its processes.log). */
  private static void deleteTree(Path dir) throws Exception {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  /** Under target/ so the processes' log outlives a failure. */
  private static Path clusterDir(TestInfo info) {
    return Path.of("target", "retrieval-kill", info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime())
        .toAbsolutePath();
  }
}
