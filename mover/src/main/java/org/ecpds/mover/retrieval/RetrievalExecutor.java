package org.ecpds.mover.retrieval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.SessionPool;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;
import org.ecpds.proto.Retrieve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Retrieve instructions (the Data Retrieval Scheduler's fetches): at most {@code maxFetches}
 * at once on a pool of their own. Sessions are kept between fetches from the same host (as
 * dissemination keeps them, ectrans.keepAlive): a group of small files pays one login per connection. One timer reports progress and enforces the
 * retrieval.* limits of reads that hang. A duplicate of a running instruction is ignored; a Retrieve
 * of a data file this mover is already fetching under another correlation id (a master restarted
 * meanwhile and sent it again) joins that fetch: one fetch, its result answered under both ids.
 */
public final class RetrievalExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetrievalExecutor.class);

  private final DataStore store;
  private final SessionPool sessions;
  private final ResultSink sink;
  private final Duration rateGrace;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService timer;
  /** Every correlation id accepted and not answered yet, with the job that answers it. */
  private final Map<String, RetrieveJob> jobs = new ConcurrentHashMap<>();
  /** Per data file being fetched: the correlation ids its one job answers (guarded by this). */
  private final Map<Long, List<String>> answers = new HashMap<>();
  /** Per source host: the fetches running and those waiting for a slot (guarded by this). */
  private final Map<Long, Lane> lanes = new HashMap<>();

  /**
   * One source host's fetches on this mover: at most {@code slots} (the latest Retrieve's host_slots,
   * 0 = no limit) run; the others wait in arrival order and start as running ones end.
   */
  private static final class Lane {
    int slots;
    final Set<RetrieveJob> running = new java.util.HashSet<>();
    final java.util.ArrayDeque<RetrieveJob> waiting = new java.util.ArrayDeque<>();

    boolean hasRoom() {
      return slots <= 0 || running.size() < slots;
    }
  }

  /**
   * @param rateGrace how long a fetch runs before retrieval.minimumRate applies (mover.retrieval.rateGrace)
   */
  public RetrievalExecutor(DataStore store, TransferModules modules, ResultSink sink, int maxFetches,
      Duration progressEvery, Duration rateGrace) {
    this.store = store;
    this.sessions = new SessionPool(modules, maxFetches);
    this.sink = sink;
    this.rateGrace = rateGrace;
    AtomicInteger n = new AtomicInteger();
    // twice the fetches: as many may be storing a file already read as are reading from a source
    this.pool = new ThreadPoolExecutor(2 * maxFetches, 2 * maxFetches, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> daemon(r, "retrieval-" + n.incrementAndGet()));
    this.pool.allowCoreThreadTimeOut(true);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "retrieval-progress"));
    long every = Math.max(50, progressEvery.toMillis());
    timer.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public void retrieve(String correlationId, Retrieve r) {
    RetrieveJob job;
    synchronized (this) {
      if (jobs.containsKey(correlationId)) {
        LOG.info("retrieval {} is already running; ignoring the duplicate", correlationId);
        return;
      }
      List<String> running = answers.get(r.getDataFileId());
      if (running != null) {
        // a second fetch would find the file "being stored" and fail; the running one answers for both
        LOG.info("retrieval {}: data file {} is being fetched already ({}); answering with that fetch", correlationId,
            r.getDataFileId(), running.get(0));
        jobs.put(correlationId, jobs.get(running.get(0)));
        running.add(correlationId);
        return;
      }
      job = new RetrieveJob(correlationId, r, store, sessions, rateGrace, this::connectionFree, this::finished);
      jobs.put(correlationId, job);
      answers.put(r.getDataFileId(), new ArrayList<>(List.of(correlationId)));
      Lane lane = lanes.computeIfAbsent(r.getHost().getHostId(), k -> new Lane());
      lane.slots = r.getHostSlots();
      if (!lane.hasRoom()) {
        lane.waiting.add(job); // started when a fetch from the same host ends
        return;
      }
      lane.running.add(job);
    }
    pool.execute(job::run);
  }

  /** True when the instruction is a retrieval of this executor (so a Cancel is for it). */
  public boolean runs(String correlationId) {
    return jobs.containsKey(correlationId);
  }

  public void cancel(String cancelId, String target) {
    RetrieveJob job = jobs.get(target);
    if (job != null) job.abort(new TransferException(ErrorKind.CANCELLED, "cancelled"));
    sink.sendResult(InstructionResult.newBuilder().setCorrelationId(cancelId).setOk(job != null)
        .setErrorKind(job != null ? ErrorKind.ERROR_KIND_NONE : ErrorKind.NOT_FOUND)
        .setMessage(job != null ? "cancelled " + target : "no running instruction " + target).build());
  }

  /**
   * The job has read its source and only stores now: its host slot goes to the next fetch waiting for
   * that host (the host's connection cap counts connections, not copies being made durable).
   */
  private void connectionFree(RetrieveJob job) {
    RetrieveJob next;
    synchronized (this) {
      next = leaveLane(job);
    }
    if (next != null) pool.execute(next::run);
  }

  /**
   * Takes the job out of its host's lane (running, or waiting when cancelled before it started; a job
   * that left already changes nothing) and returns the waiting fetch that takes the freed slot, if any.
   * Called holding this.
   */
  private RetrieveJob leaveLane(RetrieveJob job) {
    long hostId = job.r.getHost().getHostId();
    Lane lane = lanes.get(hostId);
    if (lane == null) return null;
    if (!lane.running.remove(job)) lane.waiting.remove(job);
    RetrieveJob next = null;
    if (!lane.waiting.isEmpty() && lane.hasRoom()) {
      next = lane.waiting.poll();
      lane.running.add(next);
    }
    if (lane.running.isEmpty() && lane.waiting.isEmpty()) lanes.remove(hostId);
    return next;
  }

  private void finished(RetrieveJob job, InstructionResult result) {
    List<String> ids;
    RetrieveJob next;
    synchronized (this) {
      ids = answers.remove(job.r.getDataFileId());
      if (ids == null) ids = List.of(job.correlationId); // not expected: a job reports once
      ids.forEach(id -> jobs.remove(id, job));
      next = leaveLane(job); // a slot already handed on by connectionFree is not freed twice
    }
    // the result first: the master counts the next fetch as running once it has this one's answer
    for (String id : ids) {
      sink.sendResult(id.equals(result.getCorrelationId()) ? result : result.toBuilder().setCorrelationId(id).build());
    }
    if (next != null) pool.execute(next::run);
  }

  /** One per data file being fetched (several correlation ids may share a job). */
  private Set<RetrieveJob> distinctJobs() {
    return Set.copyOf(jobs.values());
  }

  private void tick() {
    for (RetrieveJob j : distinctJobs()) {
      j.watch();
      long b = j.bytes();
      if (j.started() && j.progressChanged(b)) {
        sink.sendProgress(Progress.newBuilder().setCorrelationId(j.correlationId).setBytes(b)
            .setTotal(j.r.getExpectedSize()).build());
      }
    }
  }

  public int runningCount() {
    return (int) distinctJobs().stream().filter(RetrieveJob::started).count();
  }

  /** Retrievals accepted and not finished (reported in Hello after a reconnect). */
  public List<String> runningCorrelationIds() {
    return List.copyOf(jobs.keySet());
  }

  @Override
  public void close() {
    distinctJobs().forEach(j -> j.abort(new TransferException(ErrorKind.CANCELLED, "mover shutting down")));
    pool.shutdownNow();
    timer.shutdownNow();
    sessions.close();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
