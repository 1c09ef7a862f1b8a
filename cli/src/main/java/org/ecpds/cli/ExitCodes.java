package org.ecpds.cli;

/** The exit codes scripts can rely on. */
public final class ExitCodes {
  /**
   * The file is stored and its DataFile id was printed (or help/version was shown); -requeue, -status,
   * -scheduler and the product status options did their work; -scheduler -check: the scheduler runs.
   */
  public static final int OK = 0;
  /**
   * The master or the data mover refused or failed the request (auth, permission, no mover, upload,
   * nothing to requeue); also -scheduler -check when the destination is held, stopped or disabled.
   */
  public static final int REFUSED = 1;
  /** Invalid options or unreadable local input; nothing was sent. */
  public static final int USAGE = 2;
  /** The master or the mover could not be reached (refused, unknown host, timeout, untrusted TLS). */
  public static final int CONNECT = 3;
  /**
   * The whole file was sent but the answer never came (the connection broke while the mover was storing it or
   * reporting it to the master): it may or may not be stored. No id on stdout; stderr names the DataFile id.
   */
  public static final int UNKNOWN = 4;
  /** -waitfor: the group was not fetched within -timeout. */
  public static final int TIMEOUT = 5;

  private ExitCodes() {}
}
