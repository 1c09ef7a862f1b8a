package org.ecpds.master.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.HostAssociation;
import org.ecpds.master.service.DestinationOptions;

/** One destination's dispatch state: settings, hosts, the ordered queue, running count, stickiness. */
final class DestinationQueue {
  Destination destination;
  DestinationOptions options;
  List<HostAssociation> hosts;
  final TreeSet<LiveTransfer> queue = new TreeSet<>(LiveTransfer.ORDER);
  final Map<Long, LiveTransfer> byId = new HashMap<>();
  int running;
  /** Transfers on a timer: waiting for their retry time (RETR), or for their scheduled time. */
  final java.util.Set<Long> retrying = new java.util.HashSet<>();
  final java.util.Set<Long> scheduled = new java.util.HashSet<>();
  /** Index of the host new transfers start on (moves only with Next and stay), and since when. */
  int stickyHost;
  long stickySinceMs;
  /** Consecutive transfers that ended in failure (Retry Count). */
  int consecutiveFailures;
  /** A wake-up is set for when the active time range opens. */
  boolean windowTimerSet;

  DestinationQueue(Destination destination, List<HostAssociation> hosts) {
    update(destination, hosts);
  }

  void update(Destination d, List<HostAssociation> h) {
    this.destination = d;
    this.hosts = List.copyOf(h);
    this.options = DestinationOptions.parse(d.properties());
    if (stickyHost >= hosts.size()) stickyHost = 0;
  }

  void add(LiveTransfer t) {
    LiveTransfer old = byId.put(t.id(), t);
    if (old != null) queue.remove(old);
    queue.add(t);
  }

  LiveTransfer remove(long transferId) {
    retrying.remove(transferId);
    scheduled.remove(transferId);
    LiveTransfer old = byId.remove(transferId);
    if (old != null) queue.remove(old);
    return old;
  }
}
