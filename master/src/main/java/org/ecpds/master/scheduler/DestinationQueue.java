package org.ecpds.master.scheduler;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.ecpds.master.domain.Destination;

/** One destination's dispatch state: the ordered queue, running count and the host it sticks to. */
final class DestinationQueue {
  Destination destination;
  final TreeSet<QueuedTransfer> queue = new TreeSet<>(QueuedTransfer.ORDER);
  final Map<Long, QueuedTransfer> byId = new HashMap<>();
  int running;
  /** Index of the host new transfers start on (moves only with NEXT_AND_STAY). */
  int stickyHost;

  DestinationQueue(Destination destination) {
    this.destination = destination;
  }

  void add(QueuedTransfer q) {
    QueuedTransfer old = byId.put(q.id(), q);
    if (old != null) queue.remove(old);
    queue.add(q);
  }

  void remove(long transferId) {
    QueuedTransfer old = byId.remove(transferId);
    if (old != null) queue.remove(old);
  }
}
