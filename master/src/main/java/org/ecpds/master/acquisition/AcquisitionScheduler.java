package org.ecpds.master.acquisition;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Acquisition Scheduler's timing: every (destination, acquisition host) pair is run once its
 * acquisition frequency has passed since its previous run started, never twice at the same time. A
 * run that overruns its frequency is followed by the next one as soon as it ends (no catch-up burst).
 * Time is the master's Clock; the work of a run (listing through a mover, selection, registration)
 * is behind {@link Runner}, which the master wires.
 */
public final class AcquisitionScheduler {
  /** One enabled acquisition host of one enabled destination with acquisition on. */
  public record Target(String destination, String host, Duration frequency) {
    String key() {
      return destination + '\0' + host;
    }
  }

  /** The current targets; read on every tick, so a settings change applies at the next one. */
  public interface Targets {
    List<Target> enabled();
  }

  /**
   * Starts one run and returns at once; {@code done} must be called exactly once when the run ends,
   * however it ends (extra calls are ignored).
   */
  public interface Runner {
    void run(Target target, Runnable done);
  }

  private final Clock clock;
  private final Targets targets;
  private final Runner runner;
  private final Map<String, Long> lastStartMs = new HashMap<>();
  private final Set<String> running = new HashSet<>();
  private ScheduledFuture<?> ticking;

  public AcquisitionScheduler(Clock clock, Targets targets, Runner runner) {
    this.clock = clock;
    this.targets = targets;
    this.runner = runner;
  }

  /** Starts every target that is due and idle. Called every second by {@link #start}, or by tests. */
  public void tick() {
    long now = clock.millis();
    for (Target t : targets.enabled()) {
      if (due(t, now)) launch(t, now);
    }
  }

  /** The UI's "run now": starts the target unless it is already running. */
  public boolean runNow(Target t) {
    return launch(t, clock.millis());
  }

  public synchronized boolean isRunning(Target t) {
    return running.contains(t.key());
  }

  private synchronized boolean due(Target t, long now) {
    if (running.contains(t.key())) return false;
    Long last = lastStartMs.get(t.key());
    return last == null || now - last >= t.frequency().toMillis();
  }

  private boolean launch(Target t, long now) {
    synchronized (this) {
      if (!running.add(t.key())) return false;
      lastStartMs.put(t.key(), now);
    }
    Runnable done = new Runnable() {
      private boolean called;

      @Override
      public void run() {
        synchronized (AcquisitionScheduler.this) {
          if (called) return;
          called = true;
          running.remove(t.key());
        }
      }
    };
    try {
      runner.run(t, done);
    } catch (RuntimeException e) {
      done.run(); // a runner that failed to start leaves no run behind
      throw e;
    }
    return true;
  }

  /** Ticks on {@code loop} every {@code every} (OpenECPDS ticks every second). */
  public synchronized void start(ScheduledExecutorService loop, Duration every) {
    if (ticking != null) return;
    ticking = loop.scheduleWithFixedDelay(this::tickQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  public synchronized void stop() {
    if (ticking != null) ticking.cancel(false);
    ticking = null;
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      // one bad target source read must not end the ticking
      org.slf4j.LoggerFactory.getLogger(AcquisitionScheduler.class).warn("acquisition tick failed", e);
    }
  }
}
