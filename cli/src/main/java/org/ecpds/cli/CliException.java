package org.ecpds.cli;

/** A failure with the one-line message the user sees and the exit code scripts see. */
class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;
  /** The HTTP status of the server's answer that decided this failure; 0 when no answer came. */
  private final int answeredStatus;

  CliException(int exitCode, String message, Throwable cause) {
    this(exitCode, message, cause, 0);
  }

  private CliException(int exitCode, String message, Throwable cause, int answeredStatus) {
    super(message, cause);
    this.exitCode = exitCode;
    this.answeredStatus = answeredStatus;
  }

  /** A refusal the server itself answered with this HTTP status (not a broken or unreachable connection). */
  static CliException answered(int status, String message) {
    return new CliException(ExitCodes.REFUSED, message, null, status);
  }

  static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message, null);
  }

  static CliException refused(String message) {
    return new CliException(ExitCodes.REFUSED, message, null);
  }

  static CliException connect(String message, Throwable cause) {
    return new CliException(ExitCodes.CONNECT, message, cause);
  }

  int exitCode() {
    return exitCode;
  }

  /**
   * Whether the server answered with a definite 4xx refusal. A connection that broke, timed out or
   * could not be made says nothing about the server's state, whatever exit code it maps to.
   */
  boolean definiteRefusal() {
    return answeredStatus >= 400 && answeredStatus < 500;
  }
}
