package org.ecpds.mover.retrieval;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.ecpds.mover.store.AlreadyStoredException;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.store.InsufficientSpaceException;
import org.ecpds.mover.store.SizeMismatchException;
import org.ecpds.mover.store.StoredFile;
import org.ecpds.mover.transfer.SessionPool;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Retrieve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Retrieve instruction: source host -> transfer module {@code get} -> data store, exactly as an
 * upload is stored (temp file, fsync, atomic rename, SHA-256), so that a failed fetch leaves nothing
 * visible. Exactly one result is reported.
 *
 * <p>A file of at most {@link #IN_MEMORY} bytes is read whole first; its session then goes back to the
 * pool and its connection slot to the next fetch from the host ({@code connectionFree}) while this one
 * makes the copy durable: with small files the two fsyncs took half of a fetch's time, during which
 * the connection sat idle. Unless the original is to be deleted once stored: that needs the session.
 */
final class RetrieveJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetrieveJob.class);

  final String correlationId;
  final Retrieve r;
  private final DataStore store;
  private final SessionPool sessions;
  /** Files up to this size are read into memory before they are stored. */
  static final int IN_MEMORY = 256 * 1024;

  private final BiConsumer<RetrieveJob, InstructionResult> done;
  private final java.util.function.Consumer<RetrieveJob> connectionFree;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean reported = new AtomicBoolean();
  private final Duration rateGrace;
  private volatile FetchLimits limits;
  private volatile TransferModule module;
  private SessionPool.Lease lease;
  /** The session ended the fetch in a known state and may serve the next fetch from its host. */
  private boolean reusable;
  private volatile TransferException abortReason;
  private volatile boolean started;
  private long startNanos;
  private long lastProgress = -1;

  RetrieveJob(String correlationId, Retrieve r, DataStore store, SessionPool sessions, Duration rateGrace,
      java.util.function.Consumer<RetrieveJob> connectionFree, BiConsumer<RetrieveJob, InstructionResult> done) {
    this.connectionFree = connectionFree;
    this.correlationId = correlationId;
    this.r = r;
    this.store = store;
    this.sessions = sessions;
    this.done = done;
    this.rateGrace = rateGrace;
  }

  void run() {
    startNanos = System.nanoTime();
    limits = new FetchLimits(r.getMinimumRateBytesPerSecond(), r.getMaximumDurationMillis(), rateGrace, System::nanoTime);
    started = true;
    try {
      if (abortReason != null) throw abortReason;
      StoredFile f = fetch();
      String note = r.getDeleteOriginal() ? deleteOriginal() : "";
      reusable = true;
      report(result().setOk(true).setBytes(f.size()).setStoredSize(f.size()).setSha256(f.sha256())
          .setVolume(f.volume().toString())
          .setMessage("fetched " + r.getHost().getName() + ":" + r.getSourcePath() + note).build());
    } catch (AlreadyStoredException e) {
      reusable = true;
      heldAlready();
    } catch (TransferException e) {
      failed(abortReason != null ? abortReason : e);
    } catch (SizeMismatchException e) {
      failed(new TransferException(ErrorKind.PROTOCOL, e.getMessage(), e));
    } catch (InsufficientSpaceException e) {
      failed(new TransferException(ErrorKind.LOCAL, e.getMessage(), e));
    } catch (IOException e) {
      failed(new TransferException(ErrorKind.LOCAL, "cannot store data file " + r.getDataFileId() + ": " + e, e));
    } catch (RuntimeException e) {
      LOG.error("retrieval {} failed unexpectedly", correlationId, e);
      failed(new TransferException(ErrorKind.LOCAL, "internal error: " + e, e));
    } finally {
      TransferModule m = module;
      module = null;
      if (m != null) {
        if (reusable && abortReason == null) sessions.release(lease, r.getHost());
        else m.close();
      }
    }
  }

  private StoredFile fetch() throws IOException {
    long expected = r.getExpectedSize() >= 0 ? r.getExpectedSize() : -1;
    store.ensureRoom(r.getDataFileId(), expected);
    // a kept session: many small fetches from one host do not pay a connection and login each
    lease = sessions.acquire(r.getHost());
    module = lease.module();
    if (abortReason != null) throw abortReason; // cancelled while connecting: closed in run()
    try {
      return storeFrom(lease.module(), expected);
    } catch (TransferException e) {
      if (!lease.reused() || e.kind() != ErrorKind.NETWORK || abortReason != null || bytes.get() > 0) throw e;
      // the kept session had died while idle: once more on a fresh connection
      lease.module().close();
      lease = sessions.fresh(r.getHost());
      module = lease.module();
      if (abortReason != null) throw abortReason;
      return storeFrom(lease.module(), expected);
    }
  }

  private StoredFile storeFrom(TransferModule m, long expected) throws IOException {
    boolean small = !r.getDeleteOriginal() && expected <= IN_MEMORY; // -1 (unknown) too: the read tells
    byte[] whole;
    try (InputStream remote = m.get(r.getSourcePath(), 0);
        RemoteReads in = new RemoteReads(remote, limits, bytes::set, () -> abortReason)) {
      if (!small) return store.store(r.getDataFileId(), in, expected);
      whole = in.readNBytes(IN_MEMORY + 1);
      if (whole.length > IN_MEMORY) {
        return store.store(r.getDataFileId(), new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(whole), in),
            expected);
      }
    } // the remote file is closed (and its close answered) before the session is handed on
    releaseConnection();
    return store.store(r.getDataFileId(), new java.io.ByteArrayInputStream(whole), expected);
  }

  /** The source is read: the session goes back to the pool and the connection slot to the next fetch. */
  private void releaseConnection() {
    if (abortReason != null) return; // closed in run()
    TransferModule m = module;
    module = null;
    if (m != null) sessions.release(lease, r.getHost());
    connectionFree.accept(this);
  }

  /** A retry of a fetch whose result was lost: the content is here, so the answer is the stored file. */
  private void heldAlready() {
    try {
      StoredFile f = store.held(r.getDataFileId());
      report(result().setOk(true).setBytes(0).setStoredSize(f.size()).setSha256(f.sha256())
          .setVolume(f.volume().toString()).setMessage("already held").build());
    } catch (IOException e) {
      failed(new TransferException(ErrorKind.LOCAL, "data file " + r.getDataFileId() + " is being stored already", e));
    }
  }

  private String deleteOriginal() {
    try {
      TransferModule m = module;
      m.delete(r.getSourcePath());
      return ", original deleted";
    } catch (TransferException e) {
      LOG.warn("retrieval {}: stored, but the original could not be deleted: {}", correlationId, e.getMessage());
      return ", original NOT deleted (" + e.kind() + ": " + e.getMessage() + ")";
    }
  }

  /** Interrupts the fetch (cancel, or a limit broken while a read is stuck): the session is closed. */
  void abort(TransferException why) {
    if (abortReason == null) abortReason = why;
    TransferModule m = module;
    if (m != null) m.close();
    if (!started) failed(why);
  }

  /** The watchdog's check, for reads that hang and so never reach {@link RemoteReads}' own check. */
  void watch() {
    FetchLimits l = limits;
    if (l == null || reported.get()) return;
    l.check(bytes.get()).ifPresent(this::abort);
  }

  private void failed(TransferException e) {
    report(result().setOk(false).setBytes(bytes.get()).setErrorKind(e.kind())
        .setMessage(e.getMessage() == null ? e.kind().name() : TransferException.describe(e)).build());
  }

  private InstructionResult.Builder result() {
    long ms = started ? (System.nanoTime() - startNanos) / 1_000_000 : 0;
    return InstructionResult.newBuilder().setCorrelationId(correlationId).setDurationMillis(ms);
  }

  private void report(InstructionResult result) {
    if (reported.compareAndSet(false, true)) done.accept(this, result);
  }

  boolean started() {
    return started;
  }

  long bytes() {
    return bytes.get();
  }

  /** Only called from the single progress timer thread. */
  boolean progressChanged(long b) {
    if (b == lastProgress) return false;
    lastProgress = b;
    return true;
  }
}
