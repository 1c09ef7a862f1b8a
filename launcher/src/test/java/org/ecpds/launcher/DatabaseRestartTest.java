package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.ecpds.testkit.MariaDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's MariaDB is stopped twice while CLI pushes and SFTP disseminations run: once with
 * SIGKILL (a crash) and once cleanly, each time started again after a few seconds. Every push that
 * printed an id ends DONE exactly once at the target; every push refused meanwhile exits non-zero
 * and prints no id.
 */
class DatabaseRestartTest {
  @TempDir Path tmp;

  @Test
  void databaseRestartsUnderLoadLoseAndDuplicateNothing() throws Exception {
    try (MariaDbServer mariadb = MariaDbServer.start();
        EnvironmentFaultCluster c = new EnvironmentFaultCluster("database-restart", tmp, mariadb.createDatabase("ecpds_faults"), grpc -> grpc, List.of())) {
      c.start();
      long begin = System.nanoTime();
      EnvironmentFaultCluster.Tally tally = new EnvironmentFaultCluster.Tally();
      Map<Long, Path> accepted = tally.accepted;
      AtomicInteger pushed = new AtomicInteger();
      AtomicBoolean pushing = new AtomicBoolean(true);
      ExecutorService pushers = Executors.newFixedThreadPool(3);
      List<Future<?>> loops = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        loops.add(pushers.submit(() -> {
          while (pushing.get()) {
            int i = pushed.getAndIncrement();
            Path f = c.file("db-" + i + ".bin", i % 5 == 0 ? 16L << 20 : 64L << 10, i);
            c.pushInto(f, tally);
          }
          return null;
        }));
      }
      for (boolean crash : new boolean[] {true, false}) {
        int before = accepted.size();
        awaitAccepted(accepted, before + 4, Duration.ofSeconds(60));
        if (crash) mariadb.kill(); else mariadb.stop();
        Thread.sleep(4000); // the outage itself is the fault being injected, not a synchronisation
        mariadb.restart();
      }
      awaitAccepted(accepted, accepted.size() + 4, Duration.ofSeconds(60));
      pushing.set(false);
      for (Future<?> l : loops) l.get();
      pushers.shutdown();
      assertThat(tally.badRefusals).as("a refused push prints no id and says why").isEmpty();
      int affected = c.awaitDeliveredExactlyOnce(accepted, Duration.ofSeconds(90));
      System.out.printf("DatabaseRestartTest: faults=2 mariadbd restarts (kill -9, clean stop; 4 s down), files=%d,"
          + " accepted=%d, refused=%d, affected=%d, lost=0, duplicated=0, %d s%n", pushed.get(), accepted.size(),
          tally.refused.get(), affected, (System.nanoTime() - begin) / 1_000_000_000L);
    }
  }

  private static void awaitAccepted(Map<Long, Path> accepted, int count, Duration timeout) throws Exception {
    org.ecpds.testkit.Conditions.await(count + " pushes accepted", timeout, () -> accepted.size() >= count);
  }
}
