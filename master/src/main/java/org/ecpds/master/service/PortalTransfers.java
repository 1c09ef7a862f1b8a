package org.ecpds.master.service;

import java.util.List;
import java.util.Map;

/**
 * Changes the portal makes to transfers that the scheduler may hold in memory (queued, running):
 * they run where the live state is, through the lifecycle and the transfer store.
 */
public interface PortalTransfers {
  /** Stops each transfer the lifecycle lets stop (a running one is cancelled on its mover). */
  void stop(List<Long> transferIds, String comment, String user);

  /** Releases each StandBy transfer whose destination has a dissemination host (others stay StandBy). */
  void release(List<Long> transferIds, String comment, String user);

  /** The targets of live transfers changed in the database (a rename): the scheduler's copies follow. */
  void retargeted(Map<Long, String> targets);
}
