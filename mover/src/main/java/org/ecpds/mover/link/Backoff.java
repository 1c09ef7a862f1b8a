package org.ecpds.mover.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delay with jitter: many movers restarting with a master do not all dial it
 * in the same millisecond. Not thread-safe; used from the link's single scheduler thread.
 */
final class Backoff {
  private final long initialMillis;
  private final long maxMillis;
  private long next;

  Backoff(Duration initial, Duration max) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
    this.next = initialMillis;
  }

  /** The delay before the next attempt (between 50% and 100% of the current step), then doubles. */
  long nextDelayMillis() {
    long base = next;
    next = Math.min(maxMillis, next * 2);
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  void reset() {
    next = initialMillis;
  }
}
