// Dissemination-scheduler benchmark driver for scripts/bench/scheduler, with SchedulerStatements.java (the
// statements MariaDB saw) and SchedulerReport.java (the Markdown report). The script compiles the three and
// runs them on the launcher's class path against a MariaDB it started:
//
//   javac -d DIR -cp 'launcher/target/classes:launcher/target/lib/*' scripts/bench/Scheduler*.java
//   java -cp 'DIR:launcher/target/classes:launcher/target/lib/*' SchedulerBench setup|run
//
// Everything comes from the environment (BENCH_DB_URL, BENCH_DB_USER, BENCH_DB_PASSWORD, BENCH_DB_NAME,
// BENCH_DATA_DIR, BENCH_DESTINATIONS, BENCH_TRANSFERS, BENCH_MOVERS, BENCH_OUT, BENCH_DEADLINE_MS);
// no secret on the command line. It only uses the master's public entry points: MasterNode + Config,
// the REST API (destinations, hosts) and the MoverControl gRPC protocol (in-process channel), plus
// plain SQL on the V1 schema columns for the bulk rows.
//
//   setup  starts a master, creates the destinations and hosts over REST, stops it, then inserts the
//          mover rows, data files (arrived on bench-mover-N), WAIT transfers and their first
//          history rows with set-based SQL.
//   run    starts a fresh master on that database (timed), connects the protocol-level movers that
//          answer every Disseminate with an ok result at once, samples progress every second until
//          every transfer is DONE, then measures the JDBC reference and EXPLAINs the statements
//          performance_schema saw (per phase). Writes a Markdown fragment to BENCH_OUT.
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.ecpds.common.config.Config;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.master.MasterNode;
import org.ecpds.proto.Hello;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.MoverControlGrpc;
import org.ecpds.proto.MoverMessage;

public final class SchedulerBench {
  static final String URL = env("BENCH_DB_URL", null);
  static final String USER = env("BENCH_DB_USER", "ecpds");
  static final String PASS = env("BENCH_DB_PASSWORD", "");
  static final String DB = env("BENCH_DB_NAME", "ecpds_bench");
  static final Path DATA = Path.of(env("BENCH_DATA_DIR", "/tmp/ecpds-bench-master"));
  static final int DESTS = Integer.parseInt(env("BENCH_DESTINATIONS", "1000"));
  static final int TRANSFERS = Integer.parseInt(env("BENCH_TRANSFERS", "100000"));
  static final int MOVERS = Integer.parseInt(env("BENCH_MOVERS", "4"));
  static final int MOVER_MAX = Integer.parseInt(env("BENCH_MOVER_MAX_TRANSFERS", "100000"));
  static final long DEADLINE = Long.parseLong(env("BENCH_DEADLINE_MS", String.valueOf(System.currentTimeMillis() + 840_000)));
  static final long STALL_MS = Long.parseLong(env("BENCH_STALL_SECONDS", "60")) * 1000;
  static final Path OUT = Path.of(env("BENCH_OUT", "/dev/stdout"));

  static String env(String k, String d) {
    String v = System.getenv(k);
    return v == null || v.isBlank() ? d : v;
  }

  static void log(String fmt, Object... a) {
    System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), String.format(Locale.ROOT, fmt, a));
  }

  public static void main(String[] args) throws Exception {
    if (URL == null) throw new IllegalStateException("BENCH_DB_URL is required");
    switch (args.length == 0 ? "" : args[0]) {
      case "setup" -> {
        setup();
        System.exit(0);
      }
      case "run" -> System.exit(run());
      default -> {
        System.err.println("usage: SchedulerBench setup|run (configuration from BENCH_* environment variables)");
        System.exit(2);
      }
    }
  }

  static Config masterConfig(String inProcessName) {
    return Config.empty().with("master.dataDir", DATA).with("master.db.url", URL).with("master.db.user", USER)
        .with("master.db.password", PASS).with("master.rest.port", 0).with("master.rest.host", "127.0.0.1")
        .with("master.grpc.port", -1).with("master.inProcessName", inProcessName).with("master.bcryptCost", 4)
        .with("master.adminPassword", env("BENCH_ADMIN_PASSWORD", "bench-" + UUID.randomUUID()));
  }

  static Connection jdbc() throws SQLException {
    return DriverManager.getConnection(URL, USER, PASS);
  }

  // ================================================================== setup

  static void setup() throws Exception {
    long t0 = System.nanoTime();
    String adminPass = env("BENCH_ADMIN_PASSWORD", null);
    if (adminPass == null) throw new IllegalStateException("BENCH_ADMIN_PASSWORD is required for setup");
    String method;
    try (MasterNode node = new MasterNode(masterConfig("bench-setup-" + UUID.randomUUID())).start()) {
      try (Connection c = jdbc(); Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT name FROM transfer_method ORDER BY name = 'test' DESC, name LIMIT 1")) {
        r.next();
        method = r.getString(1);
      }
      log("master up for set-up (REST port %d); creating %d destinations + hosts over REST (transfer method %s)",
          node.restPort(), DESTS, method);
      HttpClient http = HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(node.tls().certificatePem())))
          .connectTimeout(Duration.ofSeconds(10)).build();
      String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPass).getBytes(StandardCharsets.UTF_8));
      String base = "https://localhost:" + node.restPort() + "/ecpds/v1/";
      // 4 clients in parallel; a 5xx is retried (up to 5 times) and counted: concurrent
      // PUT destination/{d}/host/{h} deadlock on MariaDB (INSERT destination_host) and come back as 500
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "bench-rest");
        t.setDaemon(true);
        return t;
      });
      List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
      for (int d = 1; d <= DESTS; d++) {
        final int n = d;
        jobs.add(pool.submit(() -> {
          String dest = String.format("bench-d%05d", n);
          String host = String.format("bench-h%05d", n);
          rest(http, auth, "POST", base + "destination", "{\"name\":\"" + dest + "\",\"maxConnections\":" + (4 + n % 5)
              + ",\"retryCount\":3,\"retryFrequency\":60000}");
          rest(http, auth, "POST", base + "host", "{\"name\":\"" + host + "\",\"type\":\"dissemination\","
              + "\"transferMethod\":\"" + method + "\",\"address\":\"127.0.0.1\",\"port\":9,\"login\":\"bench\","
              + "\"password\":\"bench\",\"directory\":\"/bench\"}");
          rest(http, auth, "PUT", base + "destination/" + dest + "/host/" + host, "{\"priority\":0}");
          return null;
        }));
      }
      for (var f : jobs) f.get();
      pool.shutdownNow();
      log("REST: %d requests answered 5xx and retried", RETRIED.get());
      log("REST set-up done in %.1f s", (System.nanoTime() - t0) / 1e9);
    }
    long t1 = System.nanoTime();
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      StringBuilder movers = new StringBuilder("INSERT INTO mover (name) VALUES ");
      for (int m = 1; m <= MOVERS; m++) movers.append(m > 1 ? "," : "").append("('bench-mover-").append(m).append("')");
      s.executeUpdate(movers.toString());
      long[] moverIds = new long[MOVERS];
      try (ResultSet r = s.executeQuery("SELECT id, name FROM mover WHERE name LIKE 'bench-mover-%'")) {
        while (r.next()) moverIds[Integer.parseInt(r.getString(2).substring("bench-mover-".length())) - 1] = r.getLong(1);
      }
      List<Long> destIds = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT id FROM destination WHERE name LIKE 'bench-d%' ORDER BY name")) {
        while (r.next()) destIds.add(r.getLong(1));
      }
      if (destIds.size() != DESTS) throw new IllegalStateException("expected " + DESTS + " destinations, found " + destIds.size());
      long now = System.currentTimeMillis();
      long base = now - TRANSFERS - 1000;  // created/queued in the past, one ms apart: a defined queue order
      long expiry = now + Duration.ofDays(30).toMillis();
      StringBuilder sql = new StringBuilder();
      int rows = 0;
      for (int j = 0; j < TRANSFERS; j++) {
        if (rows == 0) {
          sql.setLength(0);
          sql.append("INSERT INTO data_file (destination_id, source, target, size, sha256, arrived, arrived_ms, mover_id, "
              + "volume, caller, created_ms, expiry_ms) VALUES ");
        }
        long destId = destIds.get(j % DESTS);
        long moverId = moverIds[(j / DESTS + j % DESTS) % MOVERS];
        sql.append(rows > 0 ? "," : "").append('(').append(destId).append(",'bench/").append(j).append("','f")
            .append(j).append(".bin',1024,'").append("0".repeat(64)).append("',TRUE,").append(base + j).append(',')
            .append(moverId).append(",'v0','bench',").append(base + j).append(',').append(expiry).append(')');
        if (++rows == 2000 || j == TRANSFERS - 1) {
          s.executeUpdate(sql.toString());
          rows = 0;
        }
      }
      int dt = s.executeUpdate("INSERT INTO data_transfer (data_file_id, destination_id, target, status, queue_ms, expiry_ms) "
          + "SELECT id, destination_id, target, 'WAIT', created_ms, expiry_ms FROM data_file WHERE source LIKE 'bench/%' ORDER BY id");
      int th = s.executeUpdate("INSERT INTO transfer_history (transfer_id, status, time_ms, comment, user_name) "
          + "SELECT id, 'WAIT', queue_ms, 'queued by the benchmark set-up', 'bench' FROM data_transfer WHERE status = 'WAIT' ORDER BY id");
      c.commit();
      c.setAutoCommit(true);
      for (String t : List.of("data_file", "data_transfer", "transfer_history", "destination", "host", "mover")) {
        try (ResultSet r = s.executeQuery("ANALYZE TABLE " + t)) {
          while (r.next()) { }
        }
      }
      log("SQL set-up: %d data files, %d transfers, %d history rows, %d movers in %.1f s", TRANSFERS, dt, th, MOVERS,
          (System.nanoTime() - t1) / 1e9);
    }
  }

  static void rest(HttpClient http, String auth, String method, String url, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Authorization", auth)
        .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    for (int attempt = 1; r.statusCode() / 100 == 5 && attempt <= 5; attempt++) {
      RETRIED.incrementAndGet();
      Thread.sleep(20L * attempt);
      r = http.send(req, HttpResponse.BodyHandlers.ofString());
    }
    if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
  }

  // ================================================================== run

  /** A protocol-level mover: answers every Disseminate with an ok result at once. */
  static final class BenchMover {
    final String name;
    final ManagedChannel channel;
    final StreamObserver<MoverMessage> out;
    final AtomicLong instructions = new AtomicLong();
    final java.util.concurrent.CountDownLatch welcomed = new java.util.concurrent.CountDownLatch(1);

    BenchMover(String inProcess, String secret, String name, Counters counters) {
      this.name = name;
      channel = InProcessChannelBuilder.forName(inProcess).build();
      out = MoverControlGrpc.newStub(channel).withCallCredentials(ClusterAuth.callCredentials(secret))
          .connect(new StreamObserver<>() {
            @Override
            public void onNext(MasterMessage m) {
              if (m.hasWelcome()) welcomed.countDown();
              if (m.hasInstruction() && m.getInstruction().hasDisseminate()) {
                counters.dispatched(System.nanoTime());
                instructions.incrementAndGet();
                var i = m.getInstruction();
                MoverMessage reply = MoverMessage.newBuilder().setResult(InstructionResult.newBuilder()
                    .setCorrelationId(i.getCorrelationId()).setOk(true).setBytes(i.getDisseminate().getSize())
                    .setDurationMillis(0)).build();
                synchronized (BenchMover.this) {
                  out.onNext(reply);
                }
                counters.results.incrementAndGet();
              }
            }

            @Override
            public void onError(Throwable t) {
              counters.errors.add(name + ": " + t);
            }

            @Override
            public void onCompleted() { }
          });
      synchronized (this) {
        out.onNext(MoverMessage.newBuilder().setHello(Hello.newBuilder().setMoverName(name).setVersion("bench")
            .setMaxTransfers(MOVER_MAX).setUploadUrl("https://127.0.0.1:9").setUploadCertPem("bench")).build());
      }
    }

    void close() {
      channel.shutdownNow();
    }
  }

  static final class Counters {
    final AtomicLong dispatched = new AtomicLong();
    final AtomicLong results = new AtomicLong();
    final AtomicLong firstDispatchNs = new AtomicLong();
    final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    void dispatched(long now) {
      if (dispatched.incrementAndGet() == 1) firstDispatchNs.set(now);
    }
  }

  record Sample(double t, long dispatched, long done, long history, long heapUsed) {}

  static final AtomicLong RETRIED = new AtomicLong();

  static int run() throws Exception {
    Map<String, String> res = new LinkedHashMap<>();
    StringBuilder md = new StringBuilder();
    int rc = 0;
    String inProcess = "bench-master-" + UUID.randomUUID();
    Counters counters = new Counters();
    List<Sample> samples = new ArrayList<>();
    // the monitoring connection has no default schema, so its own statements stay out of the
    // per-schema digest tables read below
    String monUrl = URL.replaceFirst("/" + DB + "(\\?|$)", "/$1");
    Connection mon = DriverManager.getConnection(monUrl, USER, PASS);
    mon.setAutoCommit(true);
    Statement ms = mon.createStatement();
    long histBase = scalar(ms, "SELECT COALESCE(MAX(id), 0) FROM " + DB + ".transfer_history");
    long open = scalar(ms, "SELECT COUNT(*) FROM " + DB + ".data_transfer WHERE status = 'WAIT'");
    res.put("queued", String.valueOf(open));
    try (Connection c = jdbc(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bench_ref_transfer LIKE data_transfer");
      s.execute("INSERT INTO bench_ref_transfer SELECT * FROM data_transfer ORDER BY id LIMIT 20000");
      s.execute("CREATE TABLE bench_ref_history LIKE transfer_history");
      s.execute("ALTER TABLE bench_ref_history ADD CONSTRAINT fk_bench_ref_history FOREIGN KEY (transfer_id) "
          + "REFERENCES bench_ref_transfer (id) ON DELETE CASCADE");
    }
    reference(res, "before");
    ms.execute("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest");
    Thread sampler = SchedulerStatements.startSampler(monUrl);

    var mem = ManagementFactory.getMemoryMXBean();
    gc();
    long heapBefore = mem.getHeapMemoryUsage().getUsed();
    List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);

    log("starting the master on %d queued transfers", open);
    long t0 = System.nanoTime();
    MasterNode node;
    try {
      node = new MasterNode(masterConfig(inProcess)).start();
    } catch (Exception e) {
      double s = (System.nanoTime() - t0) / 1e9;
      log("master start failed after %.1f s: %s", s, e);
      res.put("start_s", String.format(Locale.ROOT, "%.2f (FAILED: %s)", s, e.toString().replace('|', '/')));
      SchedulerReport.write(res, md, samples, List.of(), List.of(), mon);
      return 4;
    }
    long t1 = System.nanoTime();
    double startS = (t1 - t0) / 1e9;
    res.put("start_s", String.format(Locale.ROOT, "%.2f", startS));
    log("MasterNode.start() returned after %.2f s", startS);
    List<SchedulerStatements.Digest> startup = SchedulerStatements.digests(ms);
    ms.execute("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest");
    gc();
    long heapQueued = mem.getHeapMemoryUsage().getUsed();
    res.put("heap_before_mb", mb(heapBefore));
    res.put("heap_queued_mb", mb(heapQueued));
    res.put("heap_queue_delta_mb", mb(heapQueued - heapBefore));

    List<BenchMover> movers = new ArrayList<>();
    long tConnect = System.nanoTime();
    for (int m = 1; m <= MOVERS; m++) movers.add(new BenchMover(inProcess, node.clusterSecret(), "bench-mover-" + m, counters));
    for (BenchMover m : movers) {
      if (!m.welcomed.await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException(m.name + " not welcomed");
    }
    log("%d movers connected", MOVERS);

    long peakSampled = 0;
    long lastProgressNs = System.nanoTime();
    long lastDone = -1;
    long done = 0;
    String stop = "all done";
    while (true) {
      Thread.sleep(1000);
      long now = System.nanoTime();
      done = scalar(ms, "SELECT COUNT(*) FROM " + DB + ".data_transfer WHERE status = 'DONE'");
      // rows, not MAX(id): InnoDB leaves an auto-increment gap after the set-up's INSERT ... SELECT
      long hist = scalar(ms, "SELECT COUNT(*) FROM " + DB + ".transfer_history WHERE id > " + histBase);
      long used = mem.getHeapMemoryUsage().getUsed();
      peakSampled = Math.max(peakSampled, used);
      samples.add(new Sample((now - tConnect) / 1e9, counters.dispatched.get(), done, hist, used));
      if (samples.size() % 10 == 0) {
        log("t=%.0f s dispatched %d, DONE %d, history rows +%d, heap %s MB", (now - tConnect) / 1e9,
            counters.dispatched.get(), done, hist, mb(used));
      }
      if (done >= open) break;
      long progress = done + counters.dispatched.get();  // a stall: neither dispatched nor DONE moved
      if (progress != lastDone) {
        lastDone = progress;
        lastProgressNs = now;
      } else if (now - lastProgressNs > STALL_MS * 1_000_000L) {
        stop = "STALLED: nothing dispatched or finished for " + STALL_MS / 1000 + " s";
        rc = 3;
        break;
      }
      if (System.currentTimeMillis() > DEADLINE) {
        stop = "TIMED OUT (global bench deadline) with " + done + " of " + open + " DONE";
        rc = 3;
        break;
      }
    }
    long tEnd = System.nanoTime();
    List<SchedulerStatements.Digest> running = SchedulerStatements.digests(ms);
    long peakPools = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    res.put("stop", stop);
    res.put("done", String.valueOf(done));
    res.put("heap_peak_sampled_mb", mb(peakSampled));
    res.put("heap_peak_pools_mb", mb(peakPools));
    if (counters.firstDispatchNs.get() != 0) {
      res.put("first_dispatch_from_start_s", String.format(Locale.ROOT, "%.2f", (counters.firstDispatchNs.get() - t0) / 1e9));
      res.put("first_dispatch_from_connect_ms", String.format(Locale.ROOT, "%.0f", (counters.firstDispatchNs.get() - tConnect) / 1e6));
    }
    res.put("all_done_s", done >= open ? String.format(Locale.ROOT, "%.1f", (tEnd - tConnect) / 1e9) : "not reached");
    res.put("errors", counters.errors.isEmpty() ? "none" : String.join("; ", counters.errors));
    rates(res, samples, open);
    gc();
    res.put("heap_end_mb", mb(mem.getHeapMemoryUsage().getUsed()));
    try (Statement s = mon.createStatement();
        ResultSet r = s.executeQuery("SELECT status, COUNT(*) FROM " + DB + ".data_transfer GROUP BY status ORDER BY status")) {
      StringBuilder b = new StringBuilder();
      while (r.next()) b.append(b.length() > 0 ? ", " : "").append(r.getString(1)).append(' ').append(r.getLong(2));
      res.put("statuses", b.toString());
    }
    try (Statement s = mon.createStatement();
        ResultSet r = s.executeQuery("SELECT status, COUNT(*) FROM " + DB + ".transfer_history WHERE id > " + histBase
            + " GROUP BY status ORDER BY status")) {
      StringBuilder b = new StringBuilder();
      while (r.next()) b.append(b.length() > 0 ? ", " : "").append(r.getString(1)).append(' ').append(r.getLong(2));
      res.put("history_by_status", b.toString());
    }
    for (BenchMover m : movers) m.close();
    node.close();
    sampler.interrupt();
    sampler.join(5000);
    reference(res, "after");
    res.put("ref_tps", mean(res.get("ref_tps_before"), res.get("ref_tps_after")));
    SchedulerReport.write(res, md, samples, startup, running, mon);
    mon.close();
    return rc;
  }

  static void rates(Map<String, String> res, List<Sample> samples, long total) {
    if (samples.isEmpty()) return;
    Sample last = samples.get(samples.size() - 1);
    res.put("history_rows", String.valueOf(last.history()));
    // sustained dispatch rate: between 10% and 90% of the transfers dispatched (middle 80%)
    // a run stopped early (deadline) uses 10%..90% of what it got instead
    long dTotal = last.dispatched() >= total ? total : last.dispatched();
    long doneTotal = last.done() >= total ? total : last.done();
    if (dTotal < total) res.put("partial", "yes");
    double t10 = crossing(samples, 0.1 * dTotal, true), t90 = crossing(samples, 0.9 * dTotal, true);
    if (t10 >= 0 && t90 > t10) res.put("dispatch_rate", String.format(Locale.ROOT, "%.0f", 0.8 * dTotal / (t90 - t10)));
    double d10 = crossing(samples, 0.1 * doneTotal, false), d90 = crossing(samples, 0.9 * doneTotal, false);
    if (d10 >= 0 && d90 > d10) {
      long h10 = historyAt(samples, d10), h90 = historyAt(samples, d90);
      res.put("done_rate", String.format(Locale.ROOT, "%.0f", 0.8 * doneTotal / (d90 - d10)));
      res.put("history_rate", String.format(Locale.ROOT, "%.0f", (h90 - h10) / (d90 - d10)));
    }
    if (last.t() > 0) {
      res.put("dispatch_rate_overall", String.format(Locale.ROOT, "%.0f", last.dispatched() / last.t()));
      res.put("history_rate_overall", String.format(Locale.ROOT, "%.0f", last.history() / last.t()));
    }
    long best = 0;
    for (int i = 1; i < samples.size(); i++) {
      best = Math.max(best, (long) ((samples.get(i).dispatched() - samples.get(i - 1).dispatched())
          / (samples.get(i).t() - samples.get(i - 1).t())));
    }
    res.put("dispatch_best_second", String.valueOf(best));
  }

  /** Time at which the dispatched (or DONE) count first reaches the level, linearly interpolated. */
  static double crossing(List<Sample> s, double level, boolean dispatched) {
    double pt = 0, pv = 0;
    for (Sample x : s) {
      double v = dispatched ? x.dispatched() : x.done();
      if (v >= level) return v == pv ? x.t() : pt + (x.t() - pt) * (level - pv) / (v - pv);
      pt = x.t();
      pv = v;
    }
    return -1;
  }

  static long historyAt(List<Sample> s, double t) {
    for (Sample x : s) if (x.t() >= t) return x.history();
    return s.get(s.size() - 1).history();
  }

  /**
   * The reference, on one JDBC connection in this JVM, on copies of the tables in the same database
   * (bench_ref_transfer: the first 20,000 transfers; bench_ref_history, with the foreign key):
   * single-row status-change transactions (UPDATE + INSERT history + COMMIT), and the same preceded
   * by SELECT ... FOR UPDATE of the row (the shape of a checked status change); 5 s each, run before
   * the master starts and after it stopped, so that the pair brackets the run.
   */
  static void reference(Map<String, String> res, String when) throws SQLException {
    try (Connection c = jdbc()) {
      c.setAutoCommit(false);
      List<Long> ids = new ArrayList<>();
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM bench_ref_transfer ORDER BY id")) {
        while (r.next()) ids.add(r.getLong(1));
      }
      c.commit();
      if (ids.isEmpty()) return;
      for (boolean lock : new boolean[] {false, true}) {
        try (PreparedStatement sel = c.prepareStatement("SELECT id, status, sent FROM bench_ref_transfer WHERE id = ? FOR UPDATE");
            PreparedStatement up = c.prepareStatement("UPDATE bench_ref_transfer SET status = ?, finish_ms = ?, message = ? WHERE id = ?");
            PreparedStatement ins = c.prepareStatement("INSERT INTO bench_ref_history (transfer_id, status, time_ms, host_id, "
                + "comment, user_name) VALUES (?, ?, ?, NULL, ?, 'reference')")) {
          long t0 = System.nanoTime(), n = 0;
          while (System.nanoTime() - t0 < 5_000_000_000L) {
            long id = ids.get((int) (n % ids.size()));
            long now = System.currentTimeMillis();
            if (lock) {
              sel.setLong(1, id);
              try (ResultSet r = sel.executeQuery()) {
                r.next();
              }
            }
            up.setString(1, "DONE");
            up.setLong(2, now);
            up.setString(3, "reference " + n);
            up.setLong(4, id);
            up.executeUpdate();
            ins.setLong(1, id);
            ins.setString(2, "DONE");
            ins.setLong(3, now);
            ins.setString(4, "reference transaction " + n);
            ins.executeUpdate();
            c.commit();
            n++;
          }
          double tps = n / ((System.nanoTime() - t0) / 1e9);
          res.put((lock ? "ref_lock_tps_" : "ref_tps_") + when, String.format(Locale.ROOT, "%.0f", tps));
          log("reference %s%s: %.0f transactions/s", when, lock ? " (with SELECT FOR UPDATE)" : "", tps);
        }
      }
    }
  }


  static String mean(String a, String b) {
    try {
      return String.format(Locale.ROOT, "%.0f", (Double.parseDouble(a) + Double.parseDouble(b)) / 2);
    } catch (RuntimeException e) {
      return a != null ? a : b;
    }
  }

  static long scalar(Statement s, String sql) throws SQLException {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  static void gc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }
}
