package org.ecpds.cli;

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

  Pusher(MasterClient master, Credentials who, Uploader uploader, Duration arrivalTimeout) {
    this.master = master;
    this.who = who;
    this.uploader = uploader;
    this.arrivalTimeout = arrivalTimeout;
  }

  /** The DataFile id, once the content is durably stored. */
  long push(PushOptions.Push p) throws CliException {
    Allocation a = master.register(who, p.registration());
    try {
      uploader.upload(a, p.source());
    } catch (ArrivalUnconfirmed e) {
      new ArrivalCheck(master, who, arrivalTimeout).settle(e);
    }
    return a.dataFileId();
  }
}
