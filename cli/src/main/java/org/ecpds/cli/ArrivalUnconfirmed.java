package org.ecpds.cli;

/**
 * The whole file went to the mover but its confirmation did not come back: the mover answered 503
 * "pending" (stored, the master's ack was late or the link down) or the answer was lost. The data
 * file may have arrived or may still arrive; only the master can tell ({@link ArrivalCheck}).
 */
final class ArrivalUnconfirmed extends CliException {
  private static final long serialVersionUID = 1L;
  private final long dataFileId;

  ArrivalUnconfirmed(long dataFileId, String message, Throwable cause) {
    super(ExitCodes.UNKNOWN, message, cause);
    this.dataFileId = dataFileId;
  }

  long dataFileId() {
    return dataFileId;
  }
}
