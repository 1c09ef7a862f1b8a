package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.common.config.Config;
import org.ecpds.master.acquisition.AcquisitionScheduler;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.VsftpdServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An acquisition host on a real sshd, run after run through the standalone's Acquisition Scheduler
 * (runs started with runNow, the timer off): the first listing only observes, stable files matching
 * the rule are registered and fetched byte-identical, a file seen for the first time waits one run,
 * files already taken are not registered again, and a rewritten file is taken again once it has
 * stopped changing (requeueonupdate).
 */
class AcquisitionEndToEndTest {
  @TempDir Path tmp;

  @Test
  void runsObserveTakeStableFilesOnceAndRequeueARewrittenOne() throws Exception {
    try (OpenSshServer source = OpenSshServer.start(); EventLines events = new EventLines()) {
      Path data = Files.createDirectories(source.home().resolve("data"));
      Map<String, String> shas = new HashMap<>();
      write(data, "a.grib2", 10_000, 1, shas);
      write(data, "b.grib2", 20_000, 2, shas);
      write(data, "notes.txt", 100, 3, shas);
      Path dataDir = tmp.resolve("ecpds-data");
      try (Standalone sa = Standalone.start(config(dataDir), System.out)) {
        Rest admin = admin(sa, dataDir);
        admin.call("POST", "destination", Map.of("name", "IN"));
        admin.call("POST", "host", Map.of("name", "ACQ", "type", "acquisition", "transferMethod", "sftp",
            "address", "127.0.0.1", "port", source.port(), "login", source.user(), "password", source.password(),
            "directory", "# observations\n[requeueonupdate=yes]" + data + "/{.*\\.grib2}\n"));
        admin.call("PUT", "destination/IN/host/ACQ", Map.of("priority", 0));
        admin.awaitMoverOnline(sa.mover().mover().name());
        AcquisitionScheduler acquisition = sa.master().acquisitionScheduler();
        AcquisitionScheduler.Target target = new AcquisitionScheduler.Target("IN", "ACQ", Duration.ofMinutes(5));

        run(acquisition, target);
        assertThat(dataFiles(admin)).as("the first listing only observes").isEmpty();

        run(acquisition, target);
        awaitFetched(admin, 2);
        assertThat(dataFiles(admin)).containsOnlyKeys("a.grib2", "b.grib2").containsEntry("a.grib2", shas.get("a.grib2"))
            .containsEntry("b.grib2", shas.get("b.grib2"));

        write(data, "c.grib2", 30_000, 4, shas);
        run(acquisition, target);
        assertThat(dataFiles(admin)).as("c is seen for the first time: it waits one run").hasSize(2);
        run(acquisition, target);
        awaitFetched(admin, 3);
        assertThat(dataFiles(admin)).containsEntry("c.grib2", shas.get("c.grib2"));

        String oldA = shas.get("a.grib2");
        write(data, "a.grib2", 11_000, 5, shas); // rewritten: another size and content
        run(acquisition, target);
        assertThat(count(admin)).as("a changed since the last listing: not stable yet").isEqualTo(3);
        run(acquisition, target);
        awaitFetched(admin, 4);
        assertThat(admin.call("GET", "datafile?destination=IN&limit=100", null).get("datafiles").findValuesAsText("sha256"))
            .contains(oldA, shas.get("a.grib2"));

        run(acquisition, target);
        assertThat(count(admin)).as("nothing new: nothing registered again").isEqualTo(4);
        assertThat(events.lines().stream().filter(l -> l.startsWith("ACQ;") && l.contains("Status=true")).count())
            .isEqualTo(7);
      }
    }
  }

  /**
   * An acquisition host on vsftpd with a {@code $date} rule (the month, so that a run cannot straddle
   * the date's change except at a month's end) and {@code deleteoriginal}: the stable files of the
   * dated directory are fetched byte-identical and then removed from the FTP server; a temporary
   * name is left alone, and so is the original of a file whose fetch fails (unreadable: Failed after
   * its one attempt), since the original is deleted only once the copy is stored.
   */
  @Test
  void anFtpHostWithADatedRuleFetchesAndDeletesTheOriginals() throws Exception {
    try (VsftpdServer ftp = VsftpdServer.start(VsftpdServer.Mode.PLAIN); EventLines events = new EventLines()) {
      String month = java.time.format.DateTimeFormatter.ofPattern("yyyyMM").format(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
      Path dated = Files.createDirectories(ftp.root().resolve("obs").resolve(month));
      Map<String, String> shas = new HashMap<>();
      write(dated, "synop1.bufr", 5_000, 11, shas);
      write(dated, "synop2.bufr", 6_000, 12, shas);
      write(dated, ".synop3.bufr", 7_000, 13, shas); // still being uploaded: a dot-file (tmpPattern)
      write(dated, "synop4.bufr", 8_000, 14, shas);
      chown(ftp);
      // listed, but the FTP account cannot read it: its fetch fails
      Files.setPosixFilePermissions(dated.resolve("synop4.bufr"), java.util.Set.of());
      Path dataDir = tmp.resolve("ecpds-ftp");
      try (Standalone sa = Standalone.start(config(dataDir).with("retrieval.maxAttempts", 1), System.out)) {
        Rest admin = admin(sa, dataDir);
        admin.call("POST", "destination", Map.of("name", "IN"));
        admin.call("POST", "host", Map.of("name", "OBS", "type", "acquisition", "transferMethod", "ftp",
            "address", "127.0.0.1", "port", ftp.port(), "login", ftp.user(), "password", ftp.password(),
            "directory", "[deleteoriginal=yes]/obs/$date[dateformat=yyyyMM]/{.*\\.bufr}\n"));
        admin.call("PUT", "destination/IN/host/OBS", Map.of("priority", 0));
        admin.awaitMoverOnline(sa.mover().mover().name());
        AcquisitionScheduler acquisition = sa.master().acquisitionScheduler();
        AcquisitionScheduler.Target target = new AcquisitionScheduler.Target("IN", "OBS", Duration.ofMinutes(5));

        run(acquisition, target);
        run(acquisition, target);
        String failed = events.await(l -> l.startsWith("RET;") && l.contains("synop4.bufr"), Duration.ofSeconds(60));
        assertThat(failed).contains("Status=false").contains("Attempt=1");
        Conditions.await("2 data files fetched", Duration.ofSeconds(60), () -> arrived(admin) == 2);
        assertThat(dataFiles(admin)).containsOnlyKeys("synop1.bufr", "synop2.bufr", "synop4.bufr")
            .containsEntry("synop1.bufr", shas.get("synop1.bufr")).containsEntry("synop2.bufr", shas.get("synop2.bufr"));
        Conditions.await("originals deleted after the fetch", Duration.ofSeconds(30),
            () -> !Files.exists(dated.resolve("synop1.bufr")) && !Files.exists(dated.resolve("synop2.bufr")));
        assertThat(dated.resolve(".synop3.bufr")).exists();
        assertThat(dated.resolve("synop4.bufr")).as("its fetch failed: the original stays").exists();
      }
    }
  }

  /**
   * An acquisition host on vsftpd with a {@code $date} rule and a regex, run after run: new files are
   * taken every cycle (at the second listing that shows them unchanged), files already taken are
   * ignored, a rewritten file is taken again (requeueonupdate), a file that grows between runs is
   * left alone until two listings agree and is then taken whole; a second line with
   * {@code action=delete} removes the matching stable files from the server and registers nothing.
   * vsftpd lists with LIST (times to the minute), so the changes below all change the size.
   */
  @Test
  void anFtpHostWithADatedRuleTakesNewChangedAndSettledFilesEveryCycle() throws Exception {
    try (VsftpdServer ftp = VsftpdServer.start(VsftpdServer.Mode.PLAIN); EventLines events = new EventLines()) {
      String month = java.time.format.DateTimeFormatter.ofPattern("yyyyMM").format(java.time.LocalDate.now(java.time.ZoneOffset.UTC));
      Path dated = Files.createDirectories(ftp.root().resolve("obs").resolve(month));
      Map<String, String> shas = new HashMap<>();
      write(dated, "synop_a.bufr", 5_000, 21, shas);
      write(dated, "synop_b.bufr", 6_000, 22, shas);
      write(dated, "temp_x.bufr", 7_000, 23, shas); // does not match the regex
      write(dated, "run1.old", 100, 24, shas);
      chown(ftp);
      Path dataDir = tmp.resolve("ecpds-ftp-cycles");
      try (Standalone sa = Standalone.start(config(dataDir), System.out)) {
        Rest admin = admin(sa, dataDir);
        admin.call("POST", "destination", Map.of("name", "IN"));
        admin.call("POST", "host", Map.of("name", "OBS", "type", "acquisition", "transferMethod", "ftp",
            "address", "127.0.0.1", "port", ftp.port(), "login", ftp.user(), "password", ftp.password(),
            "directory", "[requeueonupdate=yes]/obs/$date[dateformat=yyyyMM]/{synop_[a-z]+\\.bufr}\n"
                + "[action=delete]/obs/$date[dateformat=yyyyMM]/{.*\\.old}\n"));
        admin.call("PUT", "destination/IN/host/OBS", Map.of("priority", 0));
        admin.awaitMoverOnline(sa.mover().mover().name());
        AcquisitionScheduler acquisition = sa.master().acquisitionScheduler();
        AcquisitionScheduler.Target target = new AcquisitionScheduler.Target("IN", "OBS", Duration.ofMinutes(5));

        run(acquisition, target); // 1: observe only
        assertThat(count(admin)).isZero();
        assertThat(dated.resolve("run1.old")).as("observed, not yet stable").exists();

        run(acquisition, target); // 2: a and b taken, run1.old deleted
        awaitFetched(admin, 2);
        assertThat(dataFiles(admin)).containsOnlyKeys("synop_a.bufr", "synop_b.bufr")
            .containsEntry("synop_a.bufr", shas.get("synop_a.bufr")).containsEntry("synop_b.bufr", shas.get("synop_b.bufr"));
        assertThat(dated.resolve("run1.old")).as("action=delete").doesNotExist();
        assertThat(dated.resolve("synop_a.bufr")).as("action=queue leaves the original").exists();

        write(dated, "synop_c.bufr", 8_000, 25, shas);
        Path growing = dated.resolve("synop_g.bufr");
        append(growing, 4_000, 26);
        chown(ftp);
        run(acquisition, target); // 3: c and g seen for the first time, a and b already taken
        assertThat(count(admin)).isEqualTo(2);

        append(growing, 4_000, 27);
        run(acquisition, target); // 4: c taken; g grew since run 3
        awaitFetched(admin, 3);
        assertThat(dataFiles(admin)).containsEntry("synop_c.bufr", shas.get("synop_c.bufr")).doesNotContainKey("synop_g.bufr");

        append(growing, 4_000, 28);
        String oldA = shas.get("synop_a.bufr");
        write(dated, "synop_a.bufr", 5_500, 29, shas); // rewritten: another size and content
        chown(ftp);
        run(acquisition, target); // 5: g still growing, a changed since run 4: neither taken yet
        assertThat(count(admin)).isEqualTo(3);

        run(acquisition, target); // 6: g has settled (runs 5 and 6 agree) and a is requeued
        awaitFetched(admin, 5);
        assertThat(Files.size(growing)).isEqualTo(12_000);
        assertThat(dataFiles(admin)).containsEntry("synop_g.bufr", StandaloneEndToEndTest.sha256(growing))
            .containsEntry("synop_a.bufr", shas.get("synop_a.bufr"));
        assertThat(admin.call("GET", "datafile?destination=IN&limit=100", null).get("datafiles").findValuesAsText("sha256"))
            .contains(oldA, shas.get("synop_a.bufr"));

        run(acquisition, target); // 7: nothing new
        assertThat(count(admin)).isEqualTo(5);
        List<String> acq = events.lines().stream().filter(l -> l.startsWith("ACQ;") && l.contains("Status=true")).toList();
        assertThat(acq).hasSize(14); // two directories listed (one per line) in each of 7 runs
        assertThat(acq.stream().filter(l -> l.contains("Registered=1")).count()).as("runs 2 (a, b as 2), 4, 6").isEqualTo(2);
        assertThat(acq.stream().filter(l -> l.contains("Registered=2")).count()).isEqualTo(1);
        assertThat(acq.stream().filter(l -> l.contains("Requeued=1")).count()).isEqualTo(1);
        assertThat(acq.stream().filter(l -> l.contains("Deleted=1")).count()).isEqualTo(1);
      }
    }
  }

  /** A standalone without portal listeners, its acquisition timer off: the tests start the runs. */
  private static Config config(Path dataDir) {
    return TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1)
        .with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
        .with("monitor.port", 0).with("master.bcryptCost", 4).with("scheduler.acquisition.enabled", false);
  }

  private static Rest admin(Standalone sa, Path dataDir) throws Exception {
    return new Rest(sa.master().restPort(), dataDir.resolve("tls/cert.pem"), "admin", sa.master().generatedAdminPassword());
  }

  private static void write(Path dir, String name, int size, int seed, Map<String, String> shas) throws Exception {
    Path f = dir.resolve(name);
    StandaloneEndToEndTest.writeRandom(f, size, seed);
    shas.put(name, StandaloneEndToEndTest.sha256(f));
  }

  private static void chown(VsftpdServer ftp) throws Exception {
    org.ecpds.testkit.Processes.run(null, List.of("chown", "-R", ftp.user() + ":" + ftp.user(),
        ftp.root().resolve("obs").toString()));
  }

  /** Appends {@code size} seeded random bytes, as a file still being written grows. */
  private static void append(Path f, int size, int seed) throws Exception {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    Files.write(f, b, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  /** Starts a run and waits for its end (the scheduler refuses a second one while one runs). */
  private static void run(AcquisitionScheduler acquisition, AcquisitionScheduler.Target target) throws Exception {
    assertThat(acquisition.runNow(target)).isTrue();
    Conditions.await("acquisition run finished", Duration.ofSeconds(60), () -> !acquisition.isRunning(target));
  }

  /** Target -> sha256 of the destination's data files (the newest per target). */
  private static Map<String, String> dataFiles(Rest admin) throws Exception {
    Map<String, String> m = new HashMap<>();
    for (JsonNode f : admin.call("GET", "datafile?destination=IN&limit=100", null).get("datafiles")) {
      m.putIfAbsent(f.get("target").asText(), f.get("sha256").asText());
    }
    return m;
  }

  private static long arrived(Rest admin) throws Exception {
    JsonNode all = admin.call("GET", "datafile?destination=IN&limit=100", null).get("datafiles");
    long n = 0;
    for (JsonNode f : all) if (f.get("arrived").asBoolean()) n++;
    return n;
  }

  private static int count(Rest admin) throws Exception {
    return admin.call("GET", "datafile?destination=IN&limit=100", null).get("datafiles").size();
  }

  private static void awaitFetched(Rest admin, int files) throws Exception {
    Conditions.await(files + " data files fetched", Duration.ofSeconds(60), () -> {
      JsonNode all = admin.call("GET", "datafile?destination=IN&limit=100", null).get("datafiles");
      if (all.size() != files) return false;
      for (JsonNode f : all) if (!f.get("arrived").asBoolean()) return false;
      return true;
    });
  }
}
