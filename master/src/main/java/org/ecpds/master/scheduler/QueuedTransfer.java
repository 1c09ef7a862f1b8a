package org.ecpds.master.scheduler;

import java.util.Comparator;

/** A queued transfer as the in-memory queue keeps it: just what ordering and dispatch need. */
record QueuedTransfer(long id, int priority, long queueMs, long dataFileId, long moverId) {
  /** Lower priority value first, then earlier queue time, then lower id. */
  static final Comparator<QueuedTransfer> ORDER = Comparator.comparingInt(QueuedTransfer::priority)
      .thenComparingLong(QueuedTransfer::queueMs).thenComparingLong(QueuedTransfer::id);
}
