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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link between mover and master goes through a proxy that cuts it (RST on every connection,
 * new ones reset) twice for a few seconds while pushes and SFTP disseminations run. The mover must
 * reconnect by itself; every push that printed an id ends DONE exactly once at the target, every
 * other push failed with a non-zero exit and printed nothing.
 */
class NetworkCutTest {
  @TempDir Path tmp;

  @Test
  void cutsBetweenMoverAndMasterLoseAndDuplicateNothing() throws Exception {
    AtomicInteger proxyPort = new AtomicInteger();
    List<CuttableProxy> proxies = new ArrayList<>();
    try (EnvironmentFaultCluster c = new EnvironmentFaultCluster("network-cut", tmp, null, grpc -> {
      try {
        CuttableProxy p = new CuttableProxy(grpc);
        proxies.add(p);
        return p.port();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, List.of()); CuttableProxy proxy = proxies.get(0)) {
      c.start();
      long begin = System.nanoTime();
      int files = 15;
      EnvironmentFaultCluster.Tally tally = new EnvironmentFaultCluster.Tally();
      Map<Long, Path> accepted = tally.accepted;
      ExecutorService pushers = Executors.newFixedThreadPool(3);
      List<Future<?>> pushes = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        // big ones keep SFTP transfers running when the link is cut; small ones keep pushes coming
        long size = i % 3 == 0 ? 32L << 20 : 64L << 10;
        Path f = c.file("cut-" + i + ".bin", size, i);
        pushes.add(pushers.submit(() -> {
          c.pushInto(f, tally);
          return null;
        }));
      }
      // cut twice, each time while a transfer is running
      for (int cut = 0; cut < 2; cut++) {
        awaitSomeTransferRunning(c, Duration.ofSeconds(60));
        proxy.cut();
        Thread.sleep(3000); // the outage itself is the fault being injected, not a synchronisation
        proxy.restore();
      }
      for (Future<?> p : pushes) p.get();
      pushers.shutdown();
      assertThat(tally.badRefusals).as("a refused push prints no id and says why").isEmpty();
      int affected = c.awaitDeliveredExactlyOnce(accepted, Duration.ofSeconds(90));
      assertThat(accepted).as("pushes accepted after the link came back").isNotEmpty();
      System.out.printf("NetworkCutTest: faults=%d link cuts (3 s each), files=%d, accepted=%d, refused=%d,"
          + " affected=%d, lost=0, duplicated=0, %d s%n", proxy.cuts(), files, accepted.size(), tally.refused.get(),
          affected, (System.nanoTime() - begin) / 1_000_000_000L);
    }
  }

  /** Waits until the master shows a transfer of the destination in EXEC. */
  private static void awaitSomeTransferRunning(EnvironmentFaultCluster c, Duration timeout) throws Exception {
    org.ecpds.testkit.Conditions.await("a transfer in EXEC", timeout, () -> {
      for (var t : c.admin().call("GET", "transfer?destination=" + EnvironmentFaultCluster.DESTINATION + "&status=EXEC", null)
          .get("transfers")) {
        if (t.get("status").asText().equals("EXEC")) return true;
      }
      return false;
    });
  }
}
