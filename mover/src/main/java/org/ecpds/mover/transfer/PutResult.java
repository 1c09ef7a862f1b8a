package org.ecpds.mover.transfer;

import org.ecpds.proto.ErrorKind;

/** What became of one file of a batch: written ({@code bytes}), failed ({@code error}) or not attempted. */
public record PutResult(long bytes, TransferException error) {
  public static final PutResult NOT_ATTEMPTED = new PutResult(-1, null);

  public static PutResult written(long bytes) {
    return new PutResult(bytes, null);
  }

  public static PutResult failed(TransferException e) {
    return new PutResult(-1, e);
  }

  public boolean ok() {
    return error == null && bytes >= 0;
  }

  public boolean attempted() {
    return error != null || bytes >= 0;
  }

  /** A failure that leaves the session unusable for the rest of the batch. */
  public static boolean breaksSession(TransferException e) {
    return e.kind() == ErrorKind.NETWORK || e.kind() == ErrorKind.CANCELLED;
  }
}
