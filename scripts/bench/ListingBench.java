// Lists one remote directory through ecpds (an in-process standalone master + mover, the master's
// RemoteListings API, pages over the mover's gRPC control stream), for scripts/bench/acquisition.
// Run as a single-file source program on the launcher's class path:
//
//   BENCH_PASS=secret java -cp 'launcher/target/classes:launcher/target/lib/*' \
//       scripts/bench/ListingBench.java METHOD PORT LOGIN DIRECTORY EXPECTED RUNS PAGE_SIZE
//
// One untimed warm-up listing, then RUNS timed ones (each: instruction sent to the last page
// consumed and the result in). Heap: before each run a GC and a reset of the heap pools' peaks;
// the sum of their peaks after the run is the JVM's peak heap during the listing (master and mover
// share the JVM, so it bounds the mover's). Prints "RESULT entries=N best_s=S median_s=S
// peak_heap_mib=M base_heap_mib=B" (base: heap in use after the GC, before the run).
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ecpds.common.config.Config;
import org.ecpds.launcher.Standalone;
import org.ecpds.proto.HostSpec;

public class ListingBench {
  public static void main(String[] a) throws Exception {
    String method = a[0];
    int port = Integer.parseInt(a[1]);
    String login = a[2];
    String dir = a[3];
    long expected = Long.parseLong(a[4]);
    int runs = Integer.parseInt(a[5]);
    int pageSize = Integer.parseInt(a[6]);
    Path tmp = Files.createTempDirectory("ecpds-listing-bench");
    HostSpec host = HostSpec.newBuilder().setTransferMethod(method).setAddress("127.0.0.1").setPort(port)
        .setLogin(login).setPassword(System.getenv("BENCH_PASS")).build();
    try (Standalone sa = Standalone.start(Config.empty().with("standalone.dataDir", tmp.resolve("data"))
        .with("master.rest.port", 0).with("mover.upload.port", 0).with("portal.sftp.port", -1)
        .with("portal.https.port", -1).with("portal.s3.port", -1).with("portal.ftps.port", -1)
        .with("portal.ftps.implicitPort", -1).with("monitor.port", 0).with("master.bcryptCost", 4),
        new PrintStream(OutputStream.nullOutputStream()))) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sa.master().movers().onlineId("mover-1").isEmpty()) {
        if (System.nanoTime() > end) throw new IllegalStateException("the mover did not come online");
        Thread.sleep(20);
      }
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP).toList();
      List<Double> secs = new ArrayList<>();
      double peak = 0;
      double base = 0;
      for (int run = 0; run <= runs; run++) {
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        base = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum() / 1048576.0;
        AtomicLong seen = new AtomicLong();
        long t0 = System.nanoTime();
        long n = sa.master().remoteListings().list("mover-1", host, dir, pageSize, p -> seen.addAndGet(p.size()))
            .get(30, TimeUnit.MINUTES);
        double s = (System.nanoTime() - t0) / 1e9;
        if (n != expected || seen.get() != expected) {
          throw new IllegalStateException("listed " + n + " (pages held " + seen.get() + "), expected " + expected);
        }
        double p = heap.stream().mapToLong(x -> x.getPeakUsage().getUsed()).sum() / 1048576.0;
        if (run == 0) continue; // warm-up
        secs.add(s);
        peak = Math.max(peak, p);
        System.out.printf("run %d: %d entries in %.3f s, peak heap %.1f MiB%n", run, n, s, p);
      }
      Collections.sort(secs);
      System.out.printf("RESULT entries=%d best_s=%.3f median_s=%.3f peak_heap_mib=%.1f base_heap_mib=%.1f%n",
          expected, secs.get(0), secs.get(secs.size() / 2), peak, base);
    }
  }
}
