package org.ecpds.cli;

import java.time.Duration;

/**
 * Settles a push whose upload ended unconfirmed: asks the master until the data file arrived (the
 * push succeeded) or the deadline passed, then withdraws the registration, which the master does
 * only if the content has not arrived meanwhile. So the answer is definite (stored, or not stored and
 * never will be) and the user never pushes a duplicate; only a master out of reach leaves it unknown.
 */
final class ArrivalCheck {
  private static final long PAUSE_MILLIS = 250;

  private final MasterClient master;
  private final Credentials who;
  private final Duration timeout;

  ArrivalCheck(MasterClient master, Credentials who, Duration timeout) {
    this.master = master;
    this.who = who;
    this.timeout = timeout;
  }

  /** Returns when the data file arrived; otherwise throws why it is not stored (or still unknown). */
  void settle(ArrivalUnconfirmed unconfirmed) throws CliException {
    long id = unconfirmed.dataFileId();
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (master.arrived(who, id)) return;
      } catch (CliException e) {
        // only the master's own refusal is final; a broken or refused connection (it may be restarting,
        // or a kept-alive connection went stale) says nothing about the data file
        if (e.definiteRefusal()) throw notStored(unconfirmed, e.getMessage());
      }
      if (System.nanoTime() - end >= 0) break;
      pause();
    }
    boolean arrived;
    try {
      arrived = master.withdraw(who, id);
    } catch (CliException e) {
      if (e.definiteRefusal()) throw notStored(unconfirmed, e.getMessage());
      throw new CliException(ExitCodes.UNKNOWN, "data file " + id + " may or may not be stored: "
          + unconfirmed.getMessage() + "; the master could not be asked: " + e.getMessage(), e);
    }
    if (!arrived) {
      throw notStored(unconfirmed, "it had not arrived after " + timeout.toSeconds() + " s and was withdrawn");
    }
  }

  private static CliException notStored(ArrivalUnconfirmed unconfirmed, String why) {
    return CliException.refused("data file " + unconfirmed.dataFileId() + " is not stored (" + why + "): "
        + unconfirmed.getMessage());
  }

  private static void pause() throws CliException {
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNKNOWN, "interrupted while asking the master", e);
    }
  }
}
