package org.ecpds.master.movers;

import org.ecpds.proto.ErrorKind;

/** A remote listing or delete that failed on (or could not reach) the mover; {@link #kind()} says why. */
public final class RemoteOperationException extends RuntimeException {
  private final ErrorKind kind;

  public RemoteOperationException(ErrorKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ErrorKind kind() {
    return kind;
  }
}
