package org.ecpds.master.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ecpds.master.service.RetrievalService.GroupStatus;
import org.ecpds.master.service.UserService.Principal;

/**
 * Waits for a retrieval group to settle (every member fetched, or one given up) for {@code ecpds
 * -waitfor}: a waiter is answered as soon as the retrieval scheduler reports the group settled,
 * instead of at the client's next poll (up to its -interval late, and a query per poll). The state
 * is read again every {@code retrieval.waitRecheck} as well, for changes that do not come through
 * the scheduler (a purge, an operator's stop). Waiters hold no request thread: their reads run on one
 * thread of this class.
 */
public final class GroupWaits implements AutoCloseable {
  /** The longest wait one request may ask for (below the usual proxy idle timeouts). */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);
  private final RetrievalService retrievals;
  private final Duration recheck;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ecpds-group-waits");
    t.setDaemon(true);
    return t;
  });
  /** Waiters per group (guarded by this). */
  private final Map<String, List<Waiter>> waiting = new HashMap<>();
  /** Guarded by this: a request that comes after close (or races it) is answered 503 at once. */
  private boolean closed;

  private static final class Waiter {
    final Principal who;
    final String group;
    final long deadlineNanos;
    final CompletableFuture<GroupStatus> answer = new CompletableFuture<>();
    /** The adapter has sent the answer to the client. */
    final CompletableFuture<Void> sent = new CompletableFuture<>();
    /** The next re-read; only touched on the waits thread. */
    ScheduledFuture<?> recheck;

    Waiter(Principal who, String group, long deadlineNanos) {
      this.who = who;
      this.group = group;
      this.deadlineNanos = deadlineNanos;
    }
  }

  /**
   * A request's wait: its {@code answer}, and {@code sent}, which the adapter runs once the answer has gone
   * out to the client (or could not), so that {@link #close} returns only after its 503s have.
   */
  public record Wait(CompletableFuture<GroupStatus> answer, Runnable sent) {}

  /** How long {@link #close} waits for the 503s it gave to be sent. */
  static final Duration SEND_GRACE = Duration.ofSeconds(2);

  /** @param recheck how often a waiting request's group is read again without news (retrieval.waitRecheck) */
  public GroupWaits(RetrievalService retrievals, Duration recheck) {
    this.retrievals = retrievals;
    this.recheck = recheck;
  }

  /** Settled: complete (every member to fetch is fetched) or failed (one gave up). */
  private static boolean settled(GroupStatus g) {
    return g.complete() || g.failed();
  }

  /**
   * The group's state once it has settled, or when {@code wait} has passed (0: at once). The first read
   * is made on the caller's thread, so a bad group name or a refused caller fails here, not later.
   *
   * @throws IllegalArgumentException for a blank group or a wait outside 0..{@link #MAX_WAIT}
   */
  public Wait await(Principal who, String group, Duration wait) {
    if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("wait must be between 0 and " + MAX_WAIT.toSeconds() + "s");
    }
    Waiter w = new Waiter(who, group, System.nanoTime() + wait.toNanos());
    if (!wait.isZero()) register(w); // before the read: a settlement after it reaches this waiter
    GroupStatus g;
    try {
      g = retrievals.group(who, group);
    } catch (RuntimeException e) {
      unregister(w);
      throw e;
    }
    if (wait.isZero() || settled(g)) {
      unregister(w);
      return new Wait(CompletableFuture.completedFuture(g), () -> {});
    }
    try {
      thread.execute(() -> arm(w));
    } catch (RejectedExecutionException e) {
      w.answer.completeExceptionally(stopping()); // closed since register(): close() may have answered it already
    }
    return new Wait(w.answer, () -> w.sent.complete(null));
  }

  /** The retrieval scheduler's word that a group settled: its waiters read it again now. */
  public void settled(String group) {
    List<Waiter> ws;
    synchronized (this) {
      List<Waiter> l = waiting.get(group);
      if (l == null) return;
      ws = new ArrayList<>(l);
    }
    try {
      for (Waiter w : ws) thread.execute(() -> check(w));
    } catch (RejectedExecutionException e) {
      // closed meanwhile: close() has answered every waiter
    }
  }

  /** Waiters not answered yet (tests and metrics). */
  public synchronized int waiting() {
    return waiting.values().stream().mapToInt(List::size).sum();
  }

  private void check(Waiter w) {
    if (w.answer.isDone()) return;
    GroupStatus g;
    try {
      g = retrievals.group(w.who, w.group);
    } catch (RuntimeException e) {
      finish(w);
      w.answer.completeExceptionally(e);
      return;
    }
    if (settled(g) || System.nanoTime() - w.deadlineNanos >= 0) {
      finish(w);
      w.answer.complete(g);
    } else {
      arm(w);
    }
  }

  private void arm(Waiter w) {
    if (w.recheck != null) w.recheck.cancel(false);
    long left = Math.max(0, w.deadlineNanos - System.nanoTime());
    w.recheck = thread.schedule(() -> check(w), Math.min(left, recheck.toNanos()), TimeUnit.NANOSECONDS);
  }

  private void finish(Waiter w) {
    if (w.recheck != null) w.recheck.cancel(false);
    unregister(w);
  }

  private synchronized void register(Waiter w) {
    if (closed) {
      w.answer.completeExceptionally(stopping());
      return;
    }
    waiting.computeIfAbsent(w.group, k -> new ArrayList<>()).add(w);
  }

  private static ServiceUnavailableException stopping() {
    return new ServiceUnavailableException("the master is stopping");
  }

  private synchronized void unregister(Waiter w) {
    List<Waiter> l = waiting.get(w.group);
    if (l != null && l.remove(w) && l.isEmpty()) waiting.remove(w.group);
  }

  /** Answers every waiter 503 (the master is stopping) and stops; called before the REST server stops. */
  @Override
  public void close() {
    List<Waiter> all;
    synchronized (this) {
      closed = true;
      all = waiting.values().stream().flatMap(List::stream).toList();
      waiting.clear();
    }
    thread.shutdownNow();
    for (Waiter w : all) w.answer.completeExceptionally(stopping());
    // the REST server stops next: an answer cut off there made clients retry the GET into a refused connection
    try {
      CompletableFuture.allOf(all.stream().map(w -> w.sent).toArray(CompletableFuture[]::new))
          .get(SEND_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // a client that does not read: the stop goes on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
