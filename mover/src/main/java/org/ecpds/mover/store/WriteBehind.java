package org.ecpds.mover.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flushes a file being written to the store in the background, every {@link #STEP} bytes, so that the
 * fsync that makes it durable at the end finds little left to write: a 1 GiB upload otherwise waited
 * about 0.6 s at the end for the whole file to reach the disk (docs/benchmarks.md, FTP uploads).
 *
 * <p>One instance per file, used by the one thread that writes it. The final {@link #force()} is the
 * durability point as before; an error of a background flush is kept and thrown there, because Linux
 * reports a write-back error to one fsync of a file descriptor only.
 */
public final class WriteBehind {
  /** Bytes written between two background flushes. */
  public static final long STEP = 32L << 20;
  private static final AtomicInteger THREADS = new AtomicInteger();
  /** A few threads for every upload: a flush only moves dirty pages along, so a queue is harmless. */
  private static final ExecutorService FLUSHER = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "store-write-behind-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private final FileChannel channel;
  private final long step;
  private long flushedUpTo;
  private Future<?> pending;
  private int started;

  public WriteBehind(FileChannel channel) {
    this(channel, STEP);
  }

  WriteBehind(FileChannel channel, long step) {
    this.channel = channel;
    this.step = step;
  }

  /** After each write: {@code total} bytes are written so far. Starts a flush once per step. */
  public void written(long total) {
    if (total - flushedUpTo < step) return;
    if (pending != null && !pending.isDone()) return; // one at a time per file; the next write retries
    flushedUpTo = total;
    started++;
    pending = FLUSHER.submit(() -> {
      channel.force(false);
      return null;
    });
  }

  /** Background flushes started so far. */
  int started() {
    return started;
  }

  /** Makes the file durable, data and metadata: waits for a background flush, then fsyncs the rest. */
  public void force() throws IOException {
    if (pending != null) {
      try {
        pending.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while the store flushed " + e.getMessage());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) throw io;
        throw new IOException("background flush failed", e.getCause());
      } finally {
        pending = null;
      }
    }
    channel.force(true);
  }
}
