package org.ecpds.mover.transfer;

import java.io.IOException;
import org.ecpds.proto.ErrorKind;

/** A transfer failure, classified so that the master can apply the right retry policy. */
public class TransferException extends IOException {
  private final ErrorKind kind;

  public TransferException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public TransferException(ErrorKind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The message, with the root cause's appended when it adds something. */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (root != t && root.getMessage() != null && !msg.contains(root.getMessage())) {
      msg += " (" + root.getMessage() + ")";
    }
    return msg;
  }
}
