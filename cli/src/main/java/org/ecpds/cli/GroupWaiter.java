package org.ecpds.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * -waitfor: asks the master for the group's state every interval until every member is fetched (0),
 * one failed for good (1) or the deadline passed (5). A group the master does not know yet counts as
 * not complete: its files may still be registering.
 */
final class GroupWaiter {
  interface Source {
    GroupState state() throws CliException;
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
      GroupState s = source.state();
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
      try {
        Thread.sleep(Math.min(interval.toMillis(), Math.max(1, left / 1_000_000))); // the polling period of -waitfor
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliException.refused("interrupted while waiting for group " + group);
      }
    }
  }
}
