package org.ecpds.master.domain;

/** One data file going to one destination. */
public record DataTransfer(long id, long dataFileId, long destinationId, Long hostId, Long moverId, String target,
    String status, int priority, long queueMs, long startMs, long finishMs, long expiryMs, long sent,
    int requeueCount, int failureCount, String message, String userStatus) {

  public TransferStatus statusCode() {
    return TransferStatus.parse(status);
  }
}
