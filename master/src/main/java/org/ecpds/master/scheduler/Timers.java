package org.ecpds.master.scheduler;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scheduler's timers, read against its Clock: due work runs on the scheduler thread. One
 * executor wake-up is kept for the earliest timer; tests advance a manual clock and call
 * {@link #runDue()} instead of waiting.
 */
final class Timers {
  private record Timer(long dueMs, long seq, Object key, Runnable work) {}

  private final Clock clock;
  private final ScheduledExecutorService loop;
  private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.dueMs != b.dueMs
      ? Long.compare(a.dueMs, b.dueMs) : Long.compare(a.seq, b.seq));
  private final Map<Object, Timer> byKey = new HashMap<>();
  private long seq;
  private ScheduledFuture<?> wakeUp;
  private long wakeUpAt = Long.MAX_VALUE;

  Timers(Clock clock, ScheduledExecutorService loop) {
    this.clock = clock;
    this.loop = loop;
  }

  /** Sets (or replaces) the timer with this key. */
  void at(long dueMs, Object key, Runnable work) {
    cancel(key);
    Timer t = new Timer(dueMs, seq++, key, work);
    timers.add(t);
    byKey.put(key, t);
    arm();
  }

  boolean cancel(Object key) {
    Timer t = byKey.remove(key);
    if (t == null) return false;
    timers.remove(t);
    return true;
  }

  boolean has(Object key) {
    return byKey.containsKey(key);
  }

  int size() {
    return timers.size();
  }

  /** Runs every timer whose time has come (scheduler thread). */
  void runDue() {
    long now = clock.millis();
    while (!timers.isEmpty() && timers.peek().dueMs <= now) {
      Timer t = timers.poll();
      byKey.remove(t.key);
      t.work.run();
    }
    wakeUpAt = Long.MAX_VALUE;
    arm();
  }

  private void arm() {
    if (timers.isEmpty()) return;
    long due = timers.peek().dueMs;
    if (due >= wakeUpAt && wakeUp != null && !wakeUp.isDone()) return;
    if (wakeUp != null) wakeUp.cancel(false);
    wakeUpAt = due;
    wakeUp = loop.schedule(this::runDue, Math.max(0, due - clock.millis()), TimeUnit.MILLISECONDS);
  }
}
