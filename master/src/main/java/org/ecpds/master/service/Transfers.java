package org.ecpds.master.service;

import org.ecpds.master.domain.DataTransfer;

/** Copy-with helpers for the immutable DataTransfer record. */
public final class Transfers {
  private Transfers() {}

  public static DataTransfer dispatched(DataTransfer t, long hostId, long moverId, long now) {
    return new DataTransfer(t.id(), t.dataFileId(), t.destinationId(), hostId, moverId, t.target(), t.status(),
        t.priority(), t.queueMs(), now, 0, t.expiryMs(), 0, t.requeueCount(), t.failureCount(), "", t.userStatus());
  }

  public static DataTransfer finished(DataTransfer t, long sent, long now) {
    return new DataTransfer(t.id(), t.dataFileId(), t.destinationId(), t.hostId(), t.moverId(), t.target(), t.status(),
        t.priority(), t.queueMs(), t.startMs(), now, t.expiryMs(), sent, t.requeueCount(), t.failureCount(), "",
        t.userStatus());
  }

  public static DataTransfer failed(DataTransfer t, String message, int failureCount, long queueMs) {
    return new DataTransfer(t.id(), t.dataFileId(), t.destinationId(), t.hostId(), t.moverId(), t.target(), t.status(),
        t.priority(), queueMs, t.startMs(), System.currentTimeMillis(), t.expiryMs(), t.sent(), t.requeueCount(),
        failureCount, message, t.userStatus());
  }

  public static DataTransfer requeued(DataTransfer t, long queueMs, boolean manual) {
    return new DataTransfer(t.id(), t.dataFileId(), t.destinationId(), t.hostId(), t.moverId(), t.target(), t.status(),
        t.priority(), queueMs, 0, 0, t.expiryMs(), 0, t.requeueCount() + 1,
        manual ? 0 : t.failureCount(), manual ? "" : t.message(), t.userStatus());
  }

  public static DataTransfer withMessage(DataTransfer t, String message) {
    return new DataTransfer(t.id(), t.dataFileId(), t.destinationId(), t.hostId(), t.moverId(), t.target(), t.status(),
        t.priority(), t.queueMs(), t.startMs(), t.finishMs(), t.expiryMs(), t.sent(), t.requeueCount(),
        t.failureCount(), message, t.userStatus());
  }
}
