package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.ecpds.launcher.FaultCluster.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the master, the mover and the monitor (separate processes, master on MariaDB) at
 * seeded-random moments while several ecpds CLIs push, the mover disseminates to an OpenSSH target
 * and a user downloads through the portal. Afterwards every push whose CLI printed an id is stored
 * and DONE exactly once with the same bytes at the target, every other push printed nothing and
 * exited non-zero, and the target holds no partial or unaccounted file. Replay a failure with
 * -Dfaults.seed=N (the seed is printed first).
 */
class KillFaultsTest {
  private static final int PUSHERS = 3;
  private static final Duration SETTLE = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private record Push(String name, String sha, long size, JavaProcess.Result result) {
    private static final java.util.regex.Pattern UNKNOWN_ID =
        java.util.regex.Pattern.compile("data file (\\d+) may or may not be stored");

    boolean accepted() {
      return result.exit() == 0;
    }

    /**
     * Exit 4: the whole file went out but the answer was lost (the mover or the master died meanwhile). Whether
     * it is stored is the master's to say; the CLI names the data file. -1 for any other outcome.
     */
    long unknownOutcomeId() {
      if (result.exit() != 4) return -1;
      java.util.regex.Matcher m = UNKNOWN_ID.matcher(result.err());
      if (!m.find()) throw new AssertionError("exit 4 without the data file id: " + result.err());
      return Long.parseLong(m.group(1));
    }
  }

  @Test
  void killedProcessesLoseAndDuplicateNothing() throws Exception {
    long seed = Long.getLong("faults.seed", System.nanoTime());
    System.out.println("KillFaultsTest seed " + seed + " (replay: -Dfaults.seed=" + seed + ")");
    Random rnd = new Random(seed);
    Map<String, Long> sizes = new ConcurrentHashMap<>();
    List<Push> pushes = new CopyOnWriteArrayList<>();
    List<String> partials = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
    AtomicBoolean watching = new AtomicBoolean(true);
    int faults = 0;
    // under target/ so the processes' log outlives a failure
    Path clusterDir = Path.of("target", "kill-faults", "seed-" + seed).toAbsolutePath();
    try (FaultCluster c = FaultCluster.start(clusterDir)) {
      Rest admin = c.admin();
      Thread watcher = finalNamesWatcher(c.targetDir(), sizes, partials, watching);
      watcher.start();

      // the portal's file, in before any fault
      Path big = source("portal.bin", 16L * 1024 * 1024, rnd, sizes);
      pushes.add(push(c, big));
      assertThat(pushes.get(0).accepted()).as(pushes.get(0).result().err()).isTrue();

      // 1. the master dies while pushes are in flight: registrations and acknowledgements fail
      List<Future<?>> batch = submitPushes(c, pool, 6, "m", rnd, sizes, pushes);
      int killAfter = pushes.size() + 1 + rnd.nextInt(3);
      awaitCondition("pushes under way", () -> pushes.size() >= killAfter);
      jitter(rnd);
      c.kill(Role.MASTER);
      faults++;
      c.launch(Role.MASTER);
      admin = c.admin();
      admin.awaitMoverOnline(FaultCluster.MOVER_NAME, FaultCluster.START);
      awaitAll(batch);

      // 2. the mover dies while it disseminates (a temporary file is being written at the target)
      batch = submitPushes(c, pool, 6, "d", rnd, sizes, pushes);
      awaitCondition("a transfer writing at the target", () -> hasTemporaryFile(c.targetDir()));
      jitter(rnd);
      c.kill(Role.MOVER);
      faults++;
      c.launch(Role.MOVER);
      admin.awaitMoverOnline(FaultCluster.MOVER_NAME, FaultCluster.START);
      awaitAll(batch);

      // 3. the mover dies during a portal download: the client fails, the next download is whole
      Path pulled = tmp.resolve("pulled.bin");
      Future<Integer> download = Executors.newSingleThreadExecutor().submit(() -> c.portalGet("portal.bin", pulled));
      awaitCondition("portal download under way", () -> download.isDone() || sizeOf(pulled) > 0);
      jitter(rnd);
      boolean downloadCut = !download.isDone();
      c.kill(Role.MOVER);
      faults++;
      int firstExit = download.get();
      if (downloadCut) assertThat(firstExit).as("a cut download is reported by the sftp client").isNotZero();
      c.launch(Role.MOVER);
      admin.awaitMoverOnline(FaultCluster.MOVER_NAME, FaultCluster.START);
      Files.deleteIfExists(pulled);
      assertThat(c.portalGet("portal.bin", pulled)).isZero();
      assertThat(StandaloneEndToEndTest.sha256(pulled)).isEqualTo(pushes.get(0).sha());

      // 4. the monitor dies during pushes and disseminations: nobody else notices, it comes back
      batch = submitPushes(c, pool, 4, "w", rnd, sizes, pushes);
      int killMonitorAfter = pushes.size() + 1 + rnd.nextInt(3);
      awaitCondition("pushes under way", () -> pushes.size() >= killMonitorAfter);
      jitter(rnd);
      c.kill(Role.MONITOR);
      faults++;
      c.launch(Role.MONITOR);
      awaitAll(batch);

      Tally t = verify(admin, c.targetDir(), pushes);
      watching.set(false);
      watcher.join();
      assertThat(partials).as("files seen under their final name with the wrong size").isEmpty();
      String summary = String.format("KillFaultsTest seed %d: faults %d, files %d (accepted %d, refused %d), "
          + "unknown outcome but stored %d, transfers affected %d, lost %d, duplicated %d, portal download cut %s",
          seed, faults, pushes.size(), t.accepted, pushes.size() - t.accepted, t.unknownButStored, t.affected,
          t.lost.size(), t.duplicated.size(), downloadCut);
      System.out.println(summary);
      assertThat(t.lost).as("lost").isEmpty();
      assertThat(t.duplicated).as("duplicated").isEmpty();
    } finally {
      watching.set(false);
      pool.shutdownNow();
    }
  }

  private static final class Tally {
    int accepted;
    int affected;
    /** Pushes whose CLI said "outcome unknown" (exit 4) and that the master had stored. */
    int unknownButStored;
    final List<String> lost = new ArrayList<>();
    final List<String> duplicated = new ArrayList<>();
  }

  /** The end state: each accepted push DONE once with its bytes at the target; nothing else there. */
  private Tally verify(Rest admin, Path target, List<Push> pushes) throws Exception {
    Tally t = new Tally();
    Map<String, Push> acceptedByName = new HashMap<>();
    Set<Long> storedIds = new java.util.HashSet<>();
    for (Push p : pushes) {
      long id;
      JsonNode df;
      if (p.accepted()) {
        t.accepted++;
        assertThat(p.result().out().strip()).as("the CLI prints the id alone").matches("\\d+");
        id = Long.parseLong(p.result().out().strip());
        df = admin.call("GET", "datafile/" + id, null).get("datafile");
      } else {
        assertThat(p.result().out()).as("a failed push prints no id: " + p.name()).isEmpty();
        t.affected++;
        id = p.unknownOutcomeId();
        if (id < 0) continue;
        // the answer was lost after the whole file went out: if the master says it arrived, it is a stored
        // file like any other and must be delivered exactly once; if not, it must never be delivered
        df = admin.call("GET", "datafile/" + id, null).get("datafile");
        if (!df.get("arrived").asBoolean()) continue;
        t.unknownButStored++;
      }
      acceptedByName.put(p.name(), p);
      storedIds.add(id);
      if (!df.get("arrived").asBoolean() || !df.get("sha256").asText().equals(p.sha())) {
        t.lost.add(p.name() + ": id " + id + " printed but not stored: " + df);
        continue;
      }
      if (df.get("transfers").size() != 1) t.duplicated.add(p.name() + ": " + df.get("transfers").size() + " transfers");
      long transferId = df.at("/transfers/0/id").asLong();
      JsonNode tr = awaitSettled(admin, transferId);
      List<String> history = new ArrayList<>();
      tr.get("history").forEach(h -> history.add(h.get("status").asText()));
      if (history.stream().filter("DONE"::equals).count() > 1) t.duplicated.add(p.name() + ": history " + history);
      if (history.stream().filter("EXEC"::equals).count() > 1) t.affected++;
      Path delivered = target.resolve(p.name());
      if (!tr.get("status").asText().equals("DONE") || !Files.exists(delivered)
          || !StandaloneEndToEndTest.sha256(delivered).equals(p.sha())) {
        t.lost.add(p.name() + ": " + tr.get("status").asText() + " " + history + " at target: " + Files.exists(delivered));
      }
    }
    try (Stream<Path> files = Files.list(target)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        assertThat(name).as("no temporary file left at the target").doesNotEndWith(".ecpds-tmp");
        assertThat(acceptedByName).as("every file at the target was stored (CLI exit 0, or exit 4 and arrived): "
            + name).containsKey(name);
      }
    }
    JsonNode all = admin.call("GET", "transfer?destination=" + FaultCluster.DESTINATION + "&limit=10000", null);
    for (JsonNode tr : all.get("transfers")) {
      if (!storedIds.contains(tr.get("dataFileId").asLong())) {
        assertThat(tr.get("status").asText()).as("a push that printed no id is never delivered: " + tr).isNotEqualTo("DONE");
      }
    }
    return t;
  }

  /** Waits until the transfer is DONE or FAIL (or the deadline passes) and returns it with its history. */
  private static JsonNode awaitSettled(Rest admin, long transferId) throws Exception {
    long end = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      JsonNode tr = admin.call("GET", "transfer/" + transferId, null).get("transfer");
      String s = tr.get("status").asText();
      if (s.equals("DONE") || s.equals("FAIL") || System.nanoTime() > end) return tr;
      Thread.sleep(100);
    }
  }

  private List<Future<?>> submitPushes(FaultCluster c, ExecutorService pool, int n, String prefix, Random rnd,
      Map<String, Long> sizes, List<Push> pushes) throws IOException {
    List<Future<?>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // 64 KiB to 4 MiB: small ones make many registrations, large ones longer transfers
      Path f = source(prefix + i + ".bin", 64L * 1024 + rnd.nextInt(4 * 1024 * 1024), rnd, sizes);
      out.add(pool.submit(() -> {
        pushes.add(push(c, f));
        return null;
      }));
    }
    return out;
  }

  private Push push(FaultCluster c, Path f) throws Exception {
    return new Push(f.getFileName().toString(), StandaloneEndToEndTest.sha256(f), Files.size(f),
        JavaProcess.run("org.ecpds.cli.Ecpds", c.pushArgs(f), tmp));
  }

  private Path source(String name, long size, Random rnd, Map<String, Long> sizes) throws IOException {
    Path f = tmp.resolve("src").resolve(name);
    Files.createDirectories(f.getParent());
    StandaloneEndToEndTest.writeRandom(f, size, rnd.nextLong());
    sizes.put(name, size);
    return f;
  }

  /** Reports any file seen under its final name with a size other than its source's. */
  private static Thread finalNamesWatcher(Path target, Map<String, Long> sizes, List<String> partials,
      AtomicBoolean watching) {
    return new Thread(() -> {
      while (watching.get()) {
        try (Stream<Path> files = Files.list(target)) {
          for (Path f : files.toList()) {
            Long expected = sizes.get(f.getFileName().toString());
            if (expected == null) continue; // a temporary name
            long size = sizeOf(f);
            if (size >= 0 && size != expected) partials.add(f.getFileName() + " had " + size + " of " + expected + " bytes");
          }
        } catch (IOException e) {
          // the directory appears with the first transfer
        }
      }
    }, "final-names-watcher");
  }

  private static long sizeOf(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean hasTemporaryFile(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".ecpds-tmp"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The seeded part of a kill moment, after the condition that puts the kill inside the activity. */
  private static void jitter(Random rnd) throws InterruptedException {
    Thread.sleep(rnd.nextInt(200));
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + FaultCluster.START.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("never saw: " + what);
      Thread.sleep(5);
    }
  }

  private static void awaitAll(List<Future<?>> batch) throws Exception {
    for (Future<?> f : batch) f.get(180, java.util.concurrent.TimeUnit.SECONDS);
  }
}
