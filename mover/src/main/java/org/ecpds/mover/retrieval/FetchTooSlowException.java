package org.ecpds.mover.retrieval;

import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * A retrieval broke its host's retrieval.minimumRate or retrieval.maximumDuration and was
 * interrupted. NETWORK on the wire: the master retries it later like any broken connection.
 */
public final class FetchTooSlowException extends TransferException {
  public FetchTooSlowException(String message) {
    super(ErrorKind.NETWORK, message);
  }
}
