package org.ecpds.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * -waitfor: waits until every member of the group is fetched (0), one failed for good (1) or the
 * deadline passed (5). Each request asks the master to answer once the group has settled, for at most
 * {@link #MAX_WAIT} (a long poll: the answer comes when the last fetch is recorded, not at the next
 * poll); a master that answers at once (one without long polls) is asked again every interval. A group
 * the master does not know yet counts as not complete: its files may still be registering.
 */
final class GroupWaiter {
  /** The longest wait one request asks the master for (its own limit is 60 s). */
  static final Duration MAX_WAIT = Duration.ofSeconds(50);

  interface Source {
    /** The group's state, once settled or after {@code wait} at the latest (0: at once). */
    GroupState state(Duration wait) throws CliException;
  }

  private final Source source;
  private final Duration timeout;
  private final Duration interval;
  private final PrintStream err;

  GroupWaiter(Source source, Duration timeout, Duration interval, PrintStream err) {
    this.source = source;
    this.timeout = timeout;
    this.interval = interval;
    this.err = err;
  }

  int await(String group) throws CliException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long ask = Math.max(0, Math.min(deadline - System.nanoTime(), MAX_WAIT.toNanos()));
      long asked = System.nanoTime();
      GroupState s = source.state(Duration.ofMillis(ask / 1_000_000));
      if (s.failed()) {
        err.println("ecpds: group " + group + ": a file could not be fetched (" + s.fetched() + " of " + s.files()
            + " fetched)");
        return ExitCodes.REFUSED;
      }
      if (s.complete()) return ExitCodes.OK;
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        err.println("ecpds: group " + group + " not fetched within " + timeout.toSeconds() + " s (" + s.fetched()
            + " of " + s.files() + " fetched)");
        return ExitCodes.TIMEOUT;
      }
      if (System.nanoTime() - asked >= ask / 2) continue; // the master waited: ask again at once
      try {
        Thread.sleep(Math.min(interval.toMillis(), Math.max(1, left / 1_000_000))); // it did not: poll
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliException.refused("interrupted while waiting for group " + group);
      }
    }
  }
}
