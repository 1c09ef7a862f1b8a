package org.ecpds.master.domain;

/**
 * One data file going to one destination. Immutable: the "with" methods return the changed copy
 * that the transfer store writes (only the store changes the status).
 */
public record DataTransfer(long id, long dataFileId, long destinationId, Long hostId, Long moverId, String target,
    String status, int priority, long queueMs, long startMs, long finishMs, long expiryMs, long sent,
    int requeueCount, int failureCount, String message, String userStatus, boolean asap, int startCount,
    long resumedFrom) {

  public TransferStatus statusCode() {
    return TransferStatus.parse(status);
  }

  public DataTransfer withStatus(TransferStatus s, String user) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, s.name(), priority, queueMs, startMs,
        finishMs, expiryMs, sent, requeueCount, failureCount, message, user == null ? userStatus : user, asap,
        startCount, resumedFrom);
  }

  /** Sent to a host by a mover: a new attempt starts, counters of the last one are cleared. */
  public DataTransfer dispatched(long host, long mover, long now) {
    return new DataTransfer(id, dataFileId, destinationId, host, mover, target, status, priority, queueMs, now, 0,
        expiryMs, 0, requeueCount, failureCount, "", userStatus, asap, startCount + 1, 0);
  }

  public DataTransfer finished(long bytes, long resumedFromOffset, long now) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, status, priority, queueMs, startMs,
        now, expiryMs, bytes, requeueCount, 0, "", userStatus, asap, startCount, resumedFromOffset);
  }

  /** A failed attempt: the message, the consecutive failure count and when it may go again. */
  public DataTransfer failed(String why, int failures, int requeues, long nextQueueMs, long now) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, status, priority, nextQueueMs,
        startMs, now, expiryMs, sent, requeues, failures, why, userStatus, asap, startCount, resumedFrom);
  }

  /** Back in the queue by an operator (counters reset) or automatically (one more requeue, the rest kept). */
  public DataTransfer requeued(long newQueueMs, boolean manual) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, status, priority, newQueueMs, 0, 0,
        expiryMs, 0, manual ? 0 : requeueCount + 1, manual ? 0 : failureCount, manual ? "" : message, userStatus, asap,
        startCount, 0);
  }

  /** Back in the queue because the attempt never reached a mover: it counts as no requeue. */
  public DataTransfer unsent() {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, status, priority, queueMs, 0, 0,
        expiryMs, 0, requeueCount, failureCount, message, userStatus, asap, startCount, 0);
  }

  public DataTransfer withMessage(String why) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, status, priority, queueMs, startMs,
        finishMs, expiryMs, sent, requeueCount, failureCount, why, userStatus, asap, startCount, resumedFrom);
  }

  public DataTransfer withPriority(int p) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, status, p, queueMs, startMs,
        finishMs, expiryMs, sent, requeueCount, failureCount, message, userStatus, asap, startCount, resumedFrom);
  }

  public DataTransfer withSent(long bytes) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, target, status, priority, queueMs, startMs,
        finishMs, expiryMs, bytes, requeueCount, failureCount, message, userStatus, asap, startCount, resumedFrom);
  }

  /** Renamed through the portal: the same transfer under another target. */
  public DataTransfer withTarget(String newTarget) {
    return new DataTransfer(id, dataFileId, destinationId, hostId, moverId, newTarget, status, priority, queueMs, startMs,
        finishMs, expiryMs, sent, requeueCount, failureCount, message, userStatus, asap, startCount, resumedFrom);
  }
}
