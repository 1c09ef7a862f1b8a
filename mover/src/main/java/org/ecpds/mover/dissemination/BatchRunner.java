package org.ecpds.mover.dissemination;

import org.ecpds.mover.transfer.SessionPool;
import java.util.ArrayList;
import java.util.List;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch of a host's transfers on one session: the resuming ones alone (their offset
 * comes from the target), the others in one {@link org.ecpds.mover.transfer.TransferModule#putAll}.
 * Each member gets its own result; members the session never reached go back in line.
 */
final class BatchRunner {
  private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

  private final SessionPool sessions;
  private HostLanes<TransferJob> lanes;

  BatchRunner(SessionPool sessions) {
    this.sessions = sessions;
  }

  void lanes(HostLanes<TransferJob> lanes) {
    this.lanes = lanes;
  }

  void run(String laneKey, List<TransferJob> batch) {
    List<TransferJob> members = new ArrayList<>(batch.size());
    for (TransferJob j : batch) {
      if (!j.begin() || !j.prepare()) continue;
      if (j.resumes()) {
        j.runAlone(sessions);
      } else {
        members.add(j);
      }
    }
    if (members.isEmpty()) return;
    try {
      putAll(laneKey, members);
    } catch (RuntimeException e) {
      LOG.error("batch of {} transfers failed unexpectedly", members.size(), e);
      members.forEach(j -> j.failed(ErrorKind.LOCAL, "internal error: " + e));
    }
  }

  private void putAll(String laneKey, List<TransferJob> members) {
    HostSpec host = members.get(0).d.getHost();
    SessionPool.Lease lease;
    try {
      lease = sessions.acquire(host);
    } catch (TransferException e) {
      members.forEach(j -> j.failed(e));
      return;
    }
    List<BatchPut> puts = new ArrayList<>(members.size());
    for (TransferJob j : members) puts.add(j.asPut(lease.module()));
    List<PutResult> results;
    try {
      results = lease.module().putAll(puts);
    } catch (RuntimeException e) {
      lease.module().close();
      throw e;
    }
    boolean healthy = true;
    List<TransferJob> again = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      TransferJob j = members.get(i);
      PutResult r = i < results.size() ? results.get(i) : PutResult.NOT_ATTEMPTED;
      if (r.error() != null && PutResult.breaksSession(r.error())) healthy = false;
      if (r.ok()) {
        j.succeeded(r.bytes());
      } else if (j.isCancelled()) {
        j.failed(ErrorKind.CANCELLED, r.error() == null ? "cancelled" : r.error().getMessage());
      } else if (!r.attempted() || r.error().kind() == ErrorKind.CANCELLED || diedWhileKept(lease, i, r, j)) {
        // the session closed under it for another member's cancel, or was dead before the batch began
        j.unbegin();
        again.add(j);
      } else {
        j.failed(r.error());
      }
    }
    if (again.size() == members.size() && !lease.reused() && members.stream().noneMatch(TransferJob::isCancelled)) {
      // a new session that reached none of them: failed, not an endless round
      again.forEach(j -> j.failed(ErrorKind.NETWORK, "the session to " + host.getName() + " broke before the transfer"));
      again.clear();
    }
    if (healthy) {
      sessions.release(lease, host);
    } else {
      lease.module().close();
    }
    lanes.requeue(laneKey, again);
  }

  /** A kept session that had died while idle fails its first file at once: that file goes again, on a new one. */
  private static boolean diedWhileKept(SessionPool.Lease lease, int index, PutResult r, TransferJob j) {
    return lease.reused() && index == 0 && r.error().kind() == ErrorKind.NETWORK && j.position() == 0;
  }
}
