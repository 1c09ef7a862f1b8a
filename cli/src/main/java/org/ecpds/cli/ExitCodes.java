package org.ecpds.cli;

/** The exit codes scripts can rely on. */
public final class ExitCodes {
  /** The file is stored and its DataFile id was printed (or help/version was shown). */
  public static final int OK = 0;
  /** The master or the data mover refused or failed the request (auth, permission, no mover, upload). */
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
