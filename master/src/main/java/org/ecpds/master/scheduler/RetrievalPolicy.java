package org.ecpds.master.scheduler;

import java.time.Duration;
import org.ecpds.common.config.Config;

/**
 * The Data Retrieval Scheduler's master options: how many fetches run at once over all movers,
 * and how failed fetches are retried (a doubling delay from retryDelay up to maxRetryDelay; after
 * maxAttempts failed attempts the file and its transfers are Failed), and how many fetches wait on
 * a mover behind each running one (queuedPerConnection: the next starts as one ends, without the
 * master's round trip in between; 0 = none).
 */
public record RetrievalPolicy(int maxThreads, int maxAttempts, Duration retryDelay, Duration maxRetryDelay,
    int queuedPerConnection) {

  public static final RetrievalPolicy DEFAULTS = new RetrievalPolicy(32, 5, Duration.ofSeconds(30), Duration.ofMinutes(30),
      1);

  public static RetrievalPolicy from(Config c) {
    return new RetrievalPolicy(c.getInt("retrieval.maxThreads", DEFAULTS.maxThreads, 1, 10_000),
        c.getInt("retrieval.maxAttempts", DEFAULTS.maxAttempts, 1, 1000),
        c.getDuration("retrieval.retryDelay", DEFAULTS.retryDelay),
        c.getDuration("retrieval.maxRetryDelay", DEFAULTS.maxRetryDelay),
        c.getInt("retrieval.queuedPerConnection", DEFAULTS.queuedPerConnection, 0, 64));
  }

  /** After the {@code failures}-th failed attempt: give up. */
  public boolean givesUp(int failures) {
    return failures >= maxAttempts;
  }

  /** When the next attempt may start after the {@code failures}-th failure (1, 2, ...). */
  public long nextDueMs(int failures, long now) {
    long delay = retryDelay.toMillis();
    for (int i = 1; i < failures && delay < maxRetryDelay.toMillis(); i++) delay *= 2;
    return now + Math.min(delay, maxRetryDelay.toMillis());
  }
}
