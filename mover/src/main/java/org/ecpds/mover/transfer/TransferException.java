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
}
