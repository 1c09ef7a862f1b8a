package org.ecpds.mover.dissemination;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.Resumable;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.InstructionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Disseminate instruction: stored file -> transfer module -> remote target. */
final class TransferJob implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(TransferJob.class);

  final String correlationId;
  private final Disseminate d;
  private final DataStore store;
  private final SessionPool sessions;
  private final BiConsumer<TransferJob, InstructionResult> done;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean reported = new AtomicBoolean();
  private volatile boolean started;
  private volatile boolean cancelled;
  private volatile TransferModule module;
  private volatile long total;
  private volatile long resumedFrom;
  private long lastProgress = -1;
  volatile Future<?> future;

  TransferJob(String correlationId, Disseminate d, DataStore store, SessionPool sessions,
      BiConsumer<TransferJob, InstructionResult> done) {
    this.correlationId = correlationId;
    this.d = d;
    this.store = store;
    this.sessions = sessions;
    this.done = done;
    this.total = d.getSize();
  }

  @Override
  public void run() {
    started = true;
    long start = System.nanoTime();
    InstructionResult.Builder r = InstructionResult.newBuilder().setCorrelationId(correlationId);
    try {
      long sent = transfer();
      r.setOk(true).setBytes(sent).setMessage("sent to " + d.getHost().getName() + ":" + d.getTargetPath()
          + (resumedFrom > 0 ? " (resumed at byte " + resumedFrom + ")" : ""));
    } catch (TransferException e) {
      fail(r, cancelled ? ErrorKind.CANCELLED : e.kind(), e.getMessage());
    } catch (IOException e) {
      fail(r, cancelled ? ErrorKind.CANCELLED : ErrorKind.LOCAL, "cannot read data file " + d.getDataFileId() + ": " + e);
    } catch (RuntimeException e) {
      LOG.error("transfer {} failed unexpectedly", correlationId, e);
      fail(r, cancelled ? ErrorKind.CANCELLED : ErrorKind.LOCAL, "internal error: " + e);
    }
    r.setDurationMillis((System.nanoTime() - start) / 1_000_000).setResumedFrom(resumedFrom);
    report(r.setBytes(Math.max(r.getBytes(), bytes.get())).build());
  }

  private long transfer() throws IOException {
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
    if (cancelled) throw new TransferException(ErrorKind.CANCELLED, "cancelled before start");
    SessionPool.Lease lease = sessions.acquire(d.getHost());
    try {
      return putWith(lease, size);
    } catch (TransferException e) {
      lease.module().close();
      if (!lease.reused() || e.kind() != ErrorKind.NETWORK || bytes.get() > 0 || cancelled) throw e;
      // the kept session had died while idle: one more try on a fresh connection
      SessionPool.Lease fresh = sessions.fresh(d.getHost());
      try {
        return putWith(fresh, size);
      } catch (IOException | RuntimeException again) {
        fresh.module().close();
        throw again;
      }
    } catch (IOException | RuntimeException e) {
      lease.module().close();
      throw e;
    }
  }

  private long putWith(SessionPool.Lease lease, long size) throws IOException {
    TransferModule m = lease.module();
    module = m;
    try {
      long offset = resumeOffset(m, size);
      resumedFrom = offset;
      try (InputStream in = store.openRead(d.getDataFileId(), offset)) {
        if (cancelled) throw new TransferException(ErrorKind.CANCELLED, "cancelled before start");
        long sent = d.getResume() && m instanceof Resumable r
            ? r.resume(in, size, offset, d.getTargetPath(), bytes::set)
            : m.put(in, size, d.getTargetPath(), bytes::set);
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

  private static void fail(InstructionResult.Builder r, ErrorKind kind, String message) {
    r.setOk(false).setErrorKind(kind).setMessage(message == null ? kind.name() : message);
  }

  /** Aborts the transfer; a job still waiting in line is reported cancelled right away. */
  boolean cancel() {
    cancelled = true;
    TransferModule m = module;
    if (m != null) m.close();
    Future<?> f = future;
    if (f != null && f.cancel(false) && !started) {
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
