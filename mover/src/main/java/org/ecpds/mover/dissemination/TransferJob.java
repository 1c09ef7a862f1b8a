package org.ecpds.mover.dissemination;

import org.ecpds.mover.transfer.SessionPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.Resumable;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.InstructionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Disseminate instruction: stored file -> transfer module -> remote target. Run by a
 * {@link BatchRunner}, alone ({@link #runAlone}, resuming) or as one member of a session's batch
 * ({@link #asPut}); either way exactly one result is reported.
 */
final class TransferJob {
  private static final Logger LOG = LoggerFactory.getLogger(TransferJob.class);

  final String correlationId;
  final Disseminate d;
  /** The session lane (SessionPool key of the host). */
  final String laneKey;
  private final DataStore store;
  private final BiConsumer<TransferJob, InstructionResult> done;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean reported = new AtomicBoolean();
  private volatile boolean started;
  private volatile boolean cancelled;
  private volatile TransferModule module;
  private volatile long total;
  private volatile long resumedFrom;
  private long startNanos;
  private long lastProgress = -1;

  TransferJob(String correlationId, Disseminate d, DataStore store, BiConsumer<TransferJob, InstructionResult> done) {
    this.correlationId = correlationId;
    this.d = d;
    this.laneKey = SessionPool.key(d.getHost());
    this.store = store;
    this.done = done;
    this.total = d.getSize();
  }

  /** Taken by a worker: false if it was cancelled (and reported) while waiting. */
  boolean begin() {
    if (cancelled || reported.get()) return false;
    started = true;
    startNanos = System.nanoTime();
    return true;
  }

  /** Back in line (not attempted): progress and session are forgotten. */
  void unbegin() {
    started = false;
    module = null;
    bytes.set(0);
  }

  /** Locates the stored file and checks its size; fails (and reports) this job otherwise. */
  boolean prepare() {
    try {
      Optional<Path> file = store.locate(d.getDataFileId());
      if (file.isEmpty()) {
        throw new TransferException(ErrorKind.LOCAL, "data file " + d.getDataFileId() + " is not held by this mover");
      }
      long size = Files.size(file.get());
      if (d.getSize() > 0 && d.getSize() != size) {
        throw new TransferException(ErrorKind.LOCAL,
            "data file " + d.getDataFileId() + " holds " + size + " bytes, expected " + d.getSize());
      }
      total = size;
      return true;
    } catch (TransferException e) {
      failed(e);
    } catch (IOException e) {
      failed(ErrorKind.LOCAL, "cannot read data file " + d.getDataFileId() + ": " + e);
    }
    return false;
  }

  boolean resumes() {
    return d.getResume();
  }

  boolean isCancelled() {
    return cancelled;
  }

  /** This job as one file of a batch on {@code m}: while its content is read, a cancel closes m. */
  BatchPut asPut(TransferModule m) {
    ProgressListener progress = bytes::set;
    return new BatchPut() {
      @Override
      public InputStream open() throws TransferException {
        if (cancelled) throw new TransferException(ErrorKind.CANCELLED, "cancelled before start");
        module = m;
        try {
          return store.openRead(d.getDataFileId(), 0);
        } catch (IOException e) {
          module = null;
          throw new TransferException(ErrorKind.LOCAL, "cannot read data file " + d.getDataFileId() + ": " + e, e);
        }
      }

      @Override
      public long size() {
        return total;
      }

      @Override
      public String targetPath() {
        return d.getTargetPath();
      }

      @Override
      public ProgressListener progress() {
        return progress;
      }
    };
  }

  /** The transfer on a session of its own, resuming where the module can (the pre-batch path). */
  void runAlone(SessionPool sessions) {
    try {
      if (cancelled) throw new TransferException(ErrorKind.CANCELLED, "cancelled before start");
      SessionPool.Lease lease = sessions.acquire(d.getHost());
      long sent;
      try {
        sent = putWith(sessions, lease);
      } catch (TransferException e) {
        lease.module().close();
        if (!lease.reused() || e.kind() != ErrorKind.NETWORK || bytes.get() > 0 || cancelled) throw e;
        // the kept session had died while idle: one more try on a fresh connection
        SessionPool.Lease fresh = sessions.fresh(d.getHost());
        try {
          sent = putWith(sessions, fresh);
        } catch (IOException | RuntimeException again) {
          fresh.module().close();
          throw again;
        }
      } catch (IOException | RuntimeException e) {
        lease.module().close();
        throw e;
      }
      succeeded(sent);
    } catch (TransferException e) {
      failed(e);
    } catch (IOException e) {
      failed(ErrorKind.LOCAL, "cannot read data file " + d.getDataFileId() + ": " + e);
    } catch (RuntimeException e) {
      LOG.error("transfer {} failed unexpectedly", correlationId, e);
      failed(ErrorKind.LOCAL, "internal error: " + e);
    }
  }

  private long putWith(SessionPool sessions, SessionPool.Lease lease) throws IOException {
    TransferModule m = lease.module();
    module = m;
    try {
      long offset = resumeOffset(m, total);
      resumedFrom = offset;
      try (InputStream in = store.openRead(d.getDataFileId(), offset)) {
        if (cancelled) throw new TransferException(ErrorKind.CANCELLED, "cancelled before start");
        long sent = d.getResume() && m instanceof Resumable r
            ? r.resume(in, total, offset, d.getTargetPath(), bytes::set)
            : m.put(in, total, d.getTargetPath(), bytes::set);
        module = null;
        sessions.release(lease, d.getHost());
        return sent;
      }
    } finally {
      module = null;
    }
  }

  /**
   * Where to continue: the partial copy's size when resuming on a module that can; 0 otherwise, or
   * when the partial is longer than the file (not a prefix of it: written from the start again).
   */
  private long resumeOffset(TransferModule m, long size) throws TransferException {
    if (!d.getResume() || !(m instanceof Resumable r)) return 0;
    long partial = r.partialSize(d.getTargetPath());
    return partial <= size ? partial : 0;
  }

  void succeeded(long sent) {
    module = null;
    report(result().setOk(true).setBytes(Math.max(sent, bytes.get()))
        .setMessage("sent to " + d.getHost().getName() + ":" + d.getTargetPath()
            + (resumedFrom > 0 ? " (resumed at byte " + resumedFrom + ")" : "")).build());
  }

  void failed(TransferException e) {
    failed(e.kind(), e.getMessage());
  }

  void failed(ErrorKind kind, String message) {
    module = null;
    ErrorKind k = cancelled ? ErrorKind.CANCELLED : kind;
    report(result().setOk(false).setBytes(bytes.get()).setErrorKind(k).setMessage(message == null ? k.name() : message)
        .build());
  }

  private InstructionResult.Builder result() {
    long ms = started ? (System.nanoTime() - startNanos) / 1_000_000 : 0;
    return InstructionResult.newBuilder().setCorrelationId(correlationId).setDurationMillis(ms).setResumedFrom(resumedFrom);
  }

  /**
   * Aborts the transfer: one whose content is being sent closes its session (the other members of
   * its batch not yet written go back in line); one waiting or not yet read is reported cancelled.
   */
  boolean cancel(HostLanes<TransferJob> lanes) {
    cancelled = true;
    TransferModule m = module;
    if (m != null) {
      m.close();
    } else if (!started || lanes.remove(laneKey, this)) {
      report(InstructionResult.newBuilder().setCorrelationId(correlationId).setOk(false)
          .setErrorKind(ErrorKind.CANCELLED).setMessage("cancelled before start").build());
    }
    return true;
  }

  private void report(InstructionResult result) {
    if (reported.compareAndSet(false, true)) done.accept(this, result);
  }

  boolean started() {
    return started;
  }

  /** The transfer method (module) of the host it goes to. */
  String protocol() {
    return d.getHost().getTransferMethod();
  }

  /** Where in the file the transfer is: the resumed offset plus this attempt's bytes. */
  long position() {
    return resumedFrom + bytes.get();
  }

  long total() {
    return total;
  }

  /** Only called from the single progress timer thread. */
  boolean progressChanged(long b) {
    if (b == lastProgress) return false;
    lastProgress = b;
    return true;
  }
}
