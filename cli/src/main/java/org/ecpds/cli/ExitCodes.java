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

  private ExitCodes() {}
}
