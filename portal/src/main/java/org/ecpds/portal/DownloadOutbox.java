package org.ecpds.portal;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completed downloads on their way to the master. A report is handed over from inside a protocol
 * server's close (SSH channel threads are interrupted and their calls cancelled when a client hangs up),
 * so it is only queued there; one worker thread of its own sends the reports in order, outside any
 * caller's gRPC {@link Context}, and retries a report the master did not answer with a bounded exponential
 * backoff. The master records a download idempotently and counts a report (by its id) once in the quota,
 * so sending one twice is harmless.
 */
public final class DownloadOutbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadOutbox.class);

  /**
   * One download, as the master records it.
   *
   * @param id the same on every re-send of this report (the master counts its bytes once)
   * @param partial only part of the file went out (see {@link PortalBackend#reportPartialDownload})
   */
  public record Report(String id, String user, long transferId, long bytes, String protocol, String remoteAddress,
      boolean partial) {
    public Report(String user, long transferId, long bytes, String protocol, String remoteAddress, boolean partial) {
      this(java.util.UUID.randomUUID().toString(), user, transferId, bytes, protocol, remoteAddress, partial);
    }

    public Report(String user, long transferId, long bytes, String protocol, String remoteAddress) {
      this(user, transferId, bytes, protocol, remoteAddress, false);
    }
  }

  /** Sends one report to the master; returns once the master answered, throws when it could not be reached. */
  @FunctionalInterface
  public interface Sender {
    void send(Report report);
  }

  /** Delay before the next attempt: doubles from {@code initial} after each failure, never above {@code max}. */
  public record Backoff(Duration initial, Duration max) {
    public Backoff {
      if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
        throw new IllegalArgumentException("backoff needs 0 < initial <= max");
      }
    }

    public Duration delayAfter(int failures) {
      if (failures <= 1) return initial;
      // Shift no further than 62 bits: past that the bound applies anyway.
      int shift = Math.min(failures - 1, 62);
      long nanos = initial.toNanos();
      return nanos > (max.toNanos() >> shift) ? max : Duration.ofNanos(Math.min(nanos << shift, max.toNanos()));
    }
  }

  private final Sender sender;
  private final ScheduledExecutorService worker;
  private final Backoff backoff;
  private final LinkedBlockingQueue<Report> queue;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Object idle = new Object();
  private volatile boolean closed;
  private ScheduledFuture<?> pendingRetry; // touched by the worker thread and by close, under idle
  private int failures; // worker thread only

  /** The worker must be a single-threaded executor owned by this outbox: {@link #close} shuts it down. */
  public DownloadOutbox(Sender sender, ScheduledExecutorService worker, Backoff backoff, int capacity) {
    this.sender = Objects.requireNonNull(sender, "sender");
    this.worker = Objects.requireNonNull(worker, "worker");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.queue = new LinkedBlockingQueue<>(capacity);
  }

  /**
   * Queues a report without blocking and without looking at the caller's interrupt flag or gRPC context.
   * False when the outbox is full or closed (the caller logs it: the client already has its bytes).
   */
  public boolean submit(Report report) {
    if (closed || !queue.offer(report)) return false;
    kick();
    return true;
  }

  /** Reports not yet recorded by the master (queued, or waiting for a retry). */
  public int pending() {
    return queue.size();
  }

  private void kick() {
    if (!draining.compareAndSet(false, true)) return;
    try {
      worker.execute(this::drain);
    } catch (RejectedExecutionException e) {
      draining.set(false); // closed meanwhile: close() logs what stayed queued
    }
  }

  private void drain() {
    while (true) {
      Report next = queue.peek();
      if (next == null) {
        draining.set(false);
        synchronized (idle) {
          idle.notifyAll();
        }
        // A report queued after the peek but before the flag dropped must not wait for the next one.
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) return;
        continue;
      }
      if (!attempt(next)) {
        // While closing, the drain window is short: keep to the first step instead of growing past it.
        Duration delay = closed ? backoff.initial() : backoff.delayAfter(++failures);
        synchronized (idle) {
          if (worker.isShutdown()) return;
          pendingRetry = worker.schedule(this::drain, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
        return;
      }
      failures = 0;
      queue.poll();
    }
  }

  /** True when the master answered (the report is settled), false when it should be sent again. */
  private boolean attempt(Report report) {
    try {
      // ROOT: never inherit a cancelled context, whatever thread pool this executor is given.
      Context.ROOT.run(() -> sender.send(report));
      return true;
    } catch (StatusRuntimeException e) {
      if (masterAnswered(e.getStatus().getCode())) {
        LOG.warn("master refused download report of transfer {} by {}: {}", report.transferId(), report.user(),
            e.getStatus());
        return true;
      }
      if (failures == 0) {
        LOG.info("download report of transfer {} not sent yet, retrying: {}", report.transferId(), e.getStatus());
      }
      return false;
    } catch (RuntimeException e) {
      LOG.warn("download report of transfer {} failed, retrying", report.transferId(), e);
      return false;
    }
  }

  /** Codes that are the master's answer about this report (retrying cannot change it), not a failure to reach it. */
  private static boolean masterAnswered(Status.Code code) {
    return switch (code) {
      case NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED, UNAUTHENTICATED, FAILED_PRECONDITION, UNIMPLEMENTED,
          ALREADY_EXISTS, OUT_OF_RANGE -> true;
      default -> false;
    };
  }

  /**
   * Stops taking reports, sends what is queued for at most {@code drainFor}, then stops the worker and logs
   * each report the master never received. Returns those reports.
   */
  public List<Report> close(Duration drainFor) {
    closed = true;
    synchronized (idle) {
      // A retry waiting out its backoff is tried at once: the drain window may be shorter than the delay.
      if (pendingRetry != null && pendingRetry.cancel(false)) worker.execute(this::drain);
      long end = System.nanoTime() + drainFor.toNanos();
      try {
        for (long left; !queue.isEmpty() && (left = end - System.nanoTime()) > 0; ) {
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      worker.shutdownNow();
    }
    List<Report> lost = new ArrayList<>(queue);
    queue.clear();
    for (Report r : lost) {
      LOG.warn("download of transfer {} by {} over {} ({} bytes) was not recorded by the master before shutdown",
          r.transferId(), r.user(), r.protocol(), r.bytes());
    }
    return lost;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
