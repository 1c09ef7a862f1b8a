package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mover's only volume is a 20 MiB tmpfs. Pushed in parallel: files bigger than the volume,
 * files of 8 MiB of which no three fit together, and small ones. What cannot fit fails cleanly
 * (non-zero exit, no id printed, the reason on stderr, nothing left in the store's temp dir);
 * every push that printed an id is delivered exactly once; once the delivered files are purged,
 * a file that could not fit before is accepted and delivered. Needs root (mount).
 */
class DiskFullTest {
  private static final long VOLUME = 20L << 20;
  @TempDir Path tmp;

  @Test
  void uploadsThatDoNotFitFailCleanlyAndTheOthersAreDelivered() throws Exception {
    Path volume = Files.createDirectories(tmp.resolve("small-volume"));
    Path mount = Tools.require("mount", "mount");
    Processes.run(tmp, List.of(mount.toString(), "-t", "tmpfs", "-o", "size=" + VOLUME, "tmpfs", volume.toString()));
    try (EnvironmentFaultCluster c = new EnvironmentFaultCluster("disk-full", tmp, null, grpc -> grpc, List.of("mover.volumes=" + volume))) {
      Rest admin = c.start();
      long begin = System.nanoTime();
      Map<Long, Path> accepted = new ConcurrentHashMap<>();
      List<String> tooBig = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      int midRefused = 0;
      int smallRefused = 0;
      ExecutorService pushers = Executors.newFixedThreadPool(4);
      List<Future<JavaProcess.Result>> results = new ArrayList<>();
      List<Path> sources = new ArrayList<>();
      for (int i = 0; i < 15; i++) {
        long size = switch (i % 5) {
          case 0 -> VOLUME + (4L << 20); // never fits
          case 1 -> 8L << 20; // three of them never fit together
          default -> 256L << 10;
        };
        Path f = c.file("disk-" + i + ".bin", size, i);
        sources.add(f);
        results.add(pushers.submit(() -> c.push(f)));
      }
      for (int i = 0; i < sources.size(); i++) {
        JavaProcess.Result r = results.get(i).get();
        Path f = sources.get(i);
        long size = Files.size(f);
        if (r.exit() == 0) {
          if (size > VOLUME) problems.add(f.getFileName() + " does not fit but printed " + r.out().strip());
          accepted.put(Long.parseLong(r.out().strip()), f);
        } else {
          if (!r.out().isBlank()) problems.add(f.getFileName() + " failed (exit " + r.exit() + ") but printed " + r.out());
          if (r.err().isBlank()) problems.add(f.getFileName() + " failed without a reason");
          if (size > VOLUME) tooBig.add(r.err().strip()); else if (size == 8L << 20) midRefused++; else smallRefused++;
        }
      }
      pushers.shutdown();
      assertThat(problems).isEmpty();
      assertThat(tooBig).hasSize(3).allSatisfy(e -> assertThat(e).contains("no room for"));
      assertThat(midRefused).as("three 8 MiB files never fit in 20 MiB").isPositive();
      assertThat(EnvironmentFaultCluster.storeFiles(volume, ".tmp")).as("no temp file left in the store").isEmpty();
      int affected = c.awaitDeliveredExactlyOnce(accepted, Duration.ofSeconds(60));
      assertThat(EnvironmentFaultCluster.storeFiles(volume, "data")).hasSize(accepted.size());

      // space freed by purging what was delivered: a file that could not fit now can
      for (long id : accepted.keySet()) admin.call("DELETE", "datafile/" + id, null);
      org.ecpds.testkit.Conditions.await("purged files gone from the store", Duration.ofSeconds(30),
          () -> EnvironmentFaultCluster.storeFiles(volume, "data").isEmpty());
      Path after = c.file("after-purge.bin", 12L << 20, 99);
      JavaProcess.Result again = c.push(after);
      assertThat(again.exit()).as(again.err()).isZero();
      long transfer = admin.transferOf(Long.parseLong(again.out().strip()));
      admin.awaitTransfer(transfer, "DONE", Duration.ofSeconds(60));
      assertThat(StandaloneEndToEndTest.sha256(c.sshd.home().resolve("out/after-purge.bin")))
          .isEqualTo(StandaloneEndToEndTest.sha256(after));
      assertThat(EnvironmentFaultCluster.storeFiles(volume, ".tmp")).isEmpty();
      System.out.printf("DiskFullTest: faults=%d uploads refused for space on a %d MiB volume (%d too big, %d of"
          + " 8 MiB, %d small), files=%d, accepted=%d, affected=%d, lost=0, duplicated=0, %d s%n",
          tooBig.size() + midRefused + smallRefused, VOLUME >> 20, tooBig.size(), midRefused, smallRefused,
          sources.size() + 1, accepted.size() + 1, affected, (System.nanoTime() - begin) / 1_000_000_000L);
    } finally {
      Processes.runOk(List.of("umount", "-l", volume.toString()));
    }
  }
}
