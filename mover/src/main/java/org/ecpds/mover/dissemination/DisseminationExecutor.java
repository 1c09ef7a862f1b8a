package org.ecpds.mover.dissemination;

import org.ecpds.mover.transfer.SessionPool;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ecpds.mover.link.InstructionHandler;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the master's instructions: at most {@code maxTransfers} sessions at once, and per host at
 * most the connection cap its instructions carry; more instructions wait in line per host (the
 * master keeps up to {@code scheduler.batchSize} per connection in flight), and a free session
 * takes the waiting ones of its host as a batch ({@link HostLanes}, {@link BatchRunner}). Progress
 * of every running transfer goes on one shared timer; exactly one result per instruction. A
 * duplicate of a running instruction (re-sent after a reconnect) is ignored; a new attempt of a
 * transfer whose earlier attempt still runs here cancels that one.
 */
public final class DisseminationExecutor implements InstructionHandler, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DisseminationExecutor.class);

  private final DataStore store;
  private final SessionPool sessions;
  private final ResultSink sink;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService timer;
  private final Map<String, TransferJob> jobs = new ConcurrentHashMap<>();
  /** The latest attempt of each transfer (by the master's transfer id). */
  private final Map<Long, TransferJob> byTransfer = new ConcurrentHashMap<>();
  private final HostLanes<TransferJob> lanes;
  private final int maxTransfers;
  private final org.ecpds.mover.metrics.MoverMetrics metrics;

  public DisseminationExecutor(DataStore store, TransferModules modules, ResultSink sink, int maxTransfers,
      Duration progressEvery) {
    this(store, modules, sink, maxTransfers, progressEvery, DEFAULT_BATCH);
  }

  /** Most files one session takes from its host's line at once (mover.batchSize). */
  public static final int DEFAULT_BATCH = 32;

  public DisseminationExecutor(DataStore store, TransferModules modules, ResultSink sink, int maxTransfers,
      Duration progressEvery, int maxBatch) {
    this(store, modules, sink, maxTransfers, progressEvery, maxBatch, new org.ecpds.mover.metrics.MoverMetrics());
  }

  public DisseminationExecutor(DataStore store, TransferModules modules, ResultSink sink, int maxTransfers,
      Duration progressEvery, int maxBatch, org.ecpds.mover.metrics.MoverMetrics metrics) {
    this.metrics = metrics;
    this.store = store;
    this.maxTransfers = maxTransfers;
    this.sessions = new SessionPool(modules, maxTransfers);
    this.sink = sink;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(maxTransfers, maxTransfers, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> daemon(r, "transfer-" + n.incrementAndGet()));
    this.pool.allowCoreThreadTimeOut(true);
    BatchRunner runner = new BatchRunner(sessions);
    this.lanes = new HostLanes<>(pool, maxBatch, runner::run);
    runner.lanes(lanes);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "transfer-progress"));
    long every = Math.max(50, progressEvery.toMillis());
    timer.scheduleAtFixedRate(this::reportProgress, every, every, TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void onInstruction(Instruction in) {
    String id = in.getCorrelationId();
    switch (in.getKindCase()) {
      case DISSEMINATE -> {
        Disseminate d = in.getDisseminate();
        TransferJob job = new TransferJob(id, d, store, this::finished);
        if (jobs.putIfAbsent(id, job) != null) {
          LOG.info("instruction {} is already running; ignoring the duplicate", id);
          return;
        }
        supersede(d.getTransferId(), job);
        int cap = d.getHostMaxConnections() > 0 ? Math.min(d.getHostMaxConnections(), maxTransfers) : maxTransfers;
        lanes.submit(job.laneKey, cap, job);
      }
      case DELETE_DATA_FILE -> timer.execute(() -> deleteDataFile(id, in.getDeleteDataFile().getDataFileId()));
      case CANCEL -> cancel(id, in.getCancel().getCorrelationIdToCancel());
      default -> sink.sendResult(InstructionResult.newBuilder().setCorrelationId(id).setOk(false)
          .setErrorKind(ErrorKind.PROTOCOL).setMessage("unsupported instruction " + in.getKindCase()).build());
    }
  }

  /**
   * A new attempt of a transfer whose earlier attempt still runs here: the master gave up on that one
   * (the link was down longer than its grace period) and sent the transfer again. Two writers of one
   * target must not overlap, so the earlier attempt is cancelled (its session closed) first.
   */
  private void supersede(long transferId, TransferJob job) {
    if (transferId <= 0) return;
    TransferJob earlier = byTransfer.put(transferId, job);
    if (earlier != null && earlier != job && jobs.get(earlier.correlationId) == earlier) {
      LOG.info("instruction {} supersedes {} of transfer {}: cancelling that one", job.correlationId,
          earlier.correlationId, transferId);
      earlier.cancel(lanes);
    }
  }

  private void cancel(String cancelId, String target) {
    TransferJob job = jobs.get(target);
    boolean found = job != null && job.cancel(lanes);
    sink.sendResult(InstructionResult.newBuilder().setCorrelationId(cancelId).setOk(found)
        .setErrorKind(found ? ErrorKind.ERROR_KIND_NONE : ErrorKind.NOT_FOUND)
        .setMessage(found ? "cancelled " + target : "no running instruction " + target).build());
  }

  private void deleteDataFile(String id, long dataFileId) {
    InstructionResult.Builder r = InstructionResult.newBuilder().setCorrelationId(id);
    try {
      boolean deleted = store.delete(dataFileId);
      r.setOk(true).setMessage(deleted ? "deleted" : "not held");
    } catch (IOException e) {
      r.setOk(false).setErrorKind(ErrorKind.LOCAL).setMessage("cannot delete data file " + dataFileId + ": " + e.getMessage());
    }
    sink.sendResult(r.build());
  }

  private void finished(TransferJob job, InstructionResult result) {
    jobs.remove(job.correlationId, job);
    byTransfer.remove(job.d.getTransferId(), job);
    metrics.transferred(job.protocol(), result.getOk(), result.getBytes(), result.getDurationMillis());
    sink.sendResult(result);
  }

  private void reportProgress() {
    for (TransferJob j : jobs.values()) {
      long b = j.position(); // a resumed transfer shows how much of the file is there, as the total does
      if (j.started() && j.progressChanged(b)) {
        sink.sendProgress(Progress.newBuilder().setCorrelationId(j.correlationId).setBytes(b).setTotal(j.total()).build());
      }
    }
  }

  public int runningCount() {
    return (int) jobs.values().stream().filter(TransferJob::started).count();
  }

  /** Instructions accepted and not finished (reported in Hello after a reconnect). */
  public List<String> runningCorrelationIds() {
    return List.copyOf(jobs.keySet());
  }

  @Override
  public void close() {
    jobs.values().forEach(j -> j.cancel(lanes));
    pool.shutdownNow();
    timer.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sessions.close();
  }
}
