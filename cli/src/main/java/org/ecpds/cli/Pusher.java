package org.ecpds.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One push's steps, shared by the single push and {@link BatchPush}: register with the master,
 * stream to the mover it allocated, and settle an unconfirmed arrival with the master instead of
 * pushing again (which could store a duplicate).
 */
final class Pusher {
  private final MasterClient master;
  private final Credentials who;
  private final Uploader uploader;
  private final Duration arrivalTimeout;
  private final int tries;
  private final Duration tryDelay;
  private final PrintStream log;

  Pusher(MasterClient master, Credentials who, Uploader uploader, Duration arrivalTimeout) {
    this(master, who, uploader, arrivalTimeout, 1, Duration.ZERO, null);
  }

  /** @param log where -verbose reports each step, or null */
  Pusher(MasterClient master, Credentials who, Uploader uploader, Duration arrivalTimeout, int tries, Duration tryDelay,
      PrintStream log) {
    this.master = master;
    this.who = who;
    this.uploader = uploader;
    this.arrivalTimeout = arrivalTimeout;
    this.tries = tries;
    this.tryDelay = tryDelay;
    this.log = log;
  }

  /** The DataFile id, once the content is durably stored. */
  long push(PushOptions.Push p) throws CliException {
    Allocation a = register(p);
    log("registered data file " + a.dataFileId() + "; uploading to data mover " + a.mover());
    try {
      long size = uploader.upload(a, p.source());
      log("data file " + a.dataFileId() + " stored (" + size + " bytes)");
    } catch (ArrivalUnconfirmed e) {
      log("upload unconfirmed; asking the master whether data file " + a.dataFileId() + " arrived");
      new ArrivalCheck(master, who, arrivalTimeout).settle(e);
    }
    return a.dataFileId();
  }

  /**
   * Only a connection that could not be made is retried (-tryCount): the master saw nothing then.
   * Once it answered, or the request may have reached it, repeating could register the file twice.
   */
  private Allocation register(PushOptions.Push p) throws CliException {
    for (int attempt = 1; ; attempt++) {
      try {
        return master.register(who, p.registration());
      } catch (CliException e) {
        if (e.exitCode() != ExitCodes.CONNECT || attempt >= tries) throw e;
        log(e.getMessage() + "; attempt " + (attempt + 1) + "/" + tries + " in " + tryDelay.toSeconds() + "s");
        pause();
      }
    }
  }

  private void pause() throws CliException {
    try {
      Thread.sleep(tryDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.refused("interrupted while waiting to retry");
    }
  }

  private void log(String message) {
    if (log != null) log.println("ecpds: " + message);
  }
}
