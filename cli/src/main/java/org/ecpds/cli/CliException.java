package org.ecpds.cli;

/** A failure with the one-line message the user sees and the exit code scripts see. */
class CliException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
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
}
