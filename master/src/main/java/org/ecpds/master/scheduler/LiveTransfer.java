package org.ecpds.master.scheduler;

import java.util.Comparator;
import org.ecpds.master.domain.DataTransfer;

/**
 * An open transfer as the scheduler keeps it in memory: its last committed row, the file facts a
 * dispatch needs, and the host its next attempt goes to (-1: the destination decides).
 */
final class LiveTransfer {
  /** asap first, then lower priority value, then earlier queue time, then lower id (OpenECPDS's order). */
  static final Comparator<LiveTransfer> ORDER = Comparator.comparing((LiveTransfer t) -> !t.row.asap())
      .thenComparingInt(t -> t.row.priority()).thenComparingLong(t -> t.row.queueMs())
      .thenComparingLong(t -> t.row.id());

  DataTransfer row;
  final FileFacts file;
  int hostIndex = -1;
  /** Set while an attempt runs. */
  String correlationId;
  /** The mover session the running attempt was sent on (0 until sent). */
  long sessionEpoch;
  String hostName = "";
  String method = "";

  LiveTransfer(DataTransfer row, FileFacts file) {
    this.row = row;
    this.file = file;
  }

  long id() {
    return row.id();
  }

  long destinationId() {
    return row.destinationId();
  }
}
