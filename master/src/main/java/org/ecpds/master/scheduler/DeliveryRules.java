package org.ecpds.master.scheduler;

import org.ecpds.master.domain.Destination;
import org.ecpds.proto.ErrorKind;

/**
 * OpenECPDS's delivery rules as pure decisions (tested against given times, no clock of their own):
 * what a failed attempt or an interruption leads to, which host a new transfer starts on, and when
 * the destination is held. The names are OpenECPDS's (docs/dissemination.md).
 */
final class DeliveryRules {
  private DeliveryRules() {}

  /**
   * The dispatch window: how many transfers may be in flight (sent to a mover, not yet finished) for
   * a limit of {@code connections} parallel connections. With {@code scheduler.batchSize} B > 1 the
   * mover holds up to B transfers per connection, so that a session finds its next file waiting
   * rather than one master round trip away; it still opens at most {@link #sessions} of them.
   */
  static int inFlight(int connections, int batchSize) {
    long w = (long) Math.max(1, connections) * Math.max(1, batchSize);
    return (int) Math.min(Integer.MAX_VALUE, w);
  }

  /** Sessions the mover may open for one transfer's host: the destination's and the host's cap, the smaller. */
  static int sessions(int destinationMax, int hostMax) {
    int d = Math.max(1, destinationMax);
    return hostMax > 0 ? Math.min(d, hostMax) : d;
  }

  /** What follows a failed attempt. */
  sealed interface AfterFailure permits FailOver, RetryLater, Failed, Stopped {}

  /** Try the next host of the destination at once. */
  record FailOver(int hostIndex) implements AfterFailure {}

  /** Requeued: go again at dueMs, on hostIndex; requeued says whether it counts as a requeue. */
  record RetryLater(long dueMs, int hostIndex, boolean requeued, String why) implements AfterFailure {}

  /** Max Requeue reached: Failed, until an operator requeues it. */
  record Failed(String why) implements AfterFailure {}

  /** An error waiting cannot cure (credentials, permission, missing path) once every host was tried. */
  record Stopped(String why) implements AfterFailure {}

  /**
   * @param failures consecutive failed attempts of this transfer, this one included
   * @param requeues automatic requeues so far (before this failure)
   */
  static AfterFailure afterFailure(Destination d, ErrorKind kind, int hostIndex, int hostCount, int failures,
      int requeues, long now) {
    boolean nextHost = hostIndex + 1 < hostCount && failOver(kind);
    // Max Start: after that many consecutive failed attempts, pause for Start Frequency
    if (d.maxStart() > 0 && failures % d.maxStart() == 0 && retryable(kind)) {
      if (requeues + 1 > d.maxRequeue()) return new Failed("failed " + (requeues + 1) + " times (Max Requeue "
          + d.maxRequeue() + ")");
      return new RetryLater(now + d.startFrequencyMs(), nextHost ? hostIndex + 1 : 0, true,
          failures + " consecutive failed attempts (Max Start " + d.maxStart() + "): next start in "
              + d.startFrequencyMs() + " ms");
    }
    if (nextHost) return new FailOver(hostIndex + 1);
    if (!retryable(kind)) return new Stopped("not retryable (" + kind + ")");
    if (requeues + 1 > d.maxRequeue()) {
      return new Failed("failed " + (requeues + 1) + " times (Max Requeue " + d.maxRequeue() + ")");
    }
    // Retry Frequency: every host failed; wait before going back to the primary
    return new RetryLater(now + d.retryFrequencyMs(), 0, true, "every host failed: retry on the primary in "
        + d.retryFrequencyMs() + " ms (" + (requeues + 1) + "/" + d.maxRequeue() + ")");
  }

  /** An interrupted transfer (mover lost, master restarted, destination stopped) goes back or fails. */
  static boolean interruptedFails(Destination d, int requeues) {
    return requeues + 1 > d.maxRequeue();
  }

  /** Retry Count: that many consecutive failed transfers hold the destination (0 = never). */
  static boolean holdDestination(Destination d, int consecutiveFailedTransfers) {
    return d.retryCount() > 0 && consecutiveFailedTransfers >= d.retryCount();
  }

  /**
   * The host a new attempt starts on. With Next and stay the destination sticks to the host that
   * last worked; Reset Frequency sends it back to the primary after that long on a backup.
   */
  static int startHost(Destination d, int stickyHost, long stickySinceMs, int hostCount, long now) {
    if (hostCount == 0) return 0;
    if (!Destination.NEXT_AND_STAY.equals(d.onHostFailure())) return 0;
    if (stickyHost > 0 && d.resetFrequencyMs() > 0 && now - stickySinceMs >= d.resetFrequencyMs()) return 0;
    return Math.min(stickyHost, hostCount - 1);
  }

  /** Whether another host should be tried at once after this kind of error. */
  static boolean failOver(ErrorKind kind) {
    return kind != ErrorKind.LOCAL && kind != ErrorKind.CANCELLED;
  }

  /** Whether waiting and trying again can help. */
  static boolean retryable(ErrorKind kind) {
    return switch (kind) {
      case AUTHENTICATION, PERMISSION, NOT_FOUND, CANCELLED -> false;
      default -> true;
    };
  }
}
