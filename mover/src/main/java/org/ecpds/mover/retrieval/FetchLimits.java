package org.ecpds.mover.retrieval;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The retrieval.* limits of one fetch: a longest duration, and a lowest mean rate that applies
 * once a grace period has passed (the first bytes of a session are always slow: login, open,
 * TCP slow start). 0 disables a limit.
 */
final class FetchLimits {
  private final long minimumRate;
  private final long maximumDurationNanos;
  private final long graceNanos;
  private final LongSupplier nanos;
  private final long startNanos;

  FetchLimits(long minimumRateBytesPerSecond, long maximumDurationMillis, Duration grace, LongSupplier nanos) {
    this.minimumRate = Math.max(0, minimumRateBytesPerSecond);
    this.maximumDurationNanos = Math.max(0, maximumDurationMillis) * 1_000_000L;
    this.graceNanos = grace.toNanos();
    this.nanos = nanos;
    this.startNanos = nanos.getAsLong();
  }

  /** The limit {@code bytes} read so far breaks now, if any. */
  Optional<FetchTooSlowException> check(long bytes) {
    long elapsed = nanos.getAsLong() - startNanos;
    if (maximumDurationNanos > 0 && elapsed > maximumDurationNanos) {
      return Optional.of(new FetchTooSlowException("retrieval took longer than the maximum duration of "
          + maximumDurationNanos / 1_000_000 + " ms (" + bytes + " bytes read)"));
    }
    if (minimumRate > 0 && elapsed > graceNanos && elapsed > 0) {
      double rate = bytes * 1e9 / elapsed;
      if (rate < minimumRate) {
        return Optional.of(new FetchTooSlowException(String.format(java.util.Locale.ROOT,
            "retrieval rate %.0f bytes/s is below the minimum of %d bytes/s", rate, minimumRate)));
      }
    }
    return Optional.empty();
  }
}
