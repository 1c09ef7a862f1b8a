package org.ecpds.master.scheduler;

import java.util.List;
import org.ecpds.master.movers.Instructions;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.PurgeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the purge: rows go first (one transaction per batch), then the queues and the movers' content. */
public final class ExpiryPurger implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ExpiryPurger.class);
  private final PurgeService purge;
  private final TransferScheduler scheduler;
  private final MoverRegistry movers;
  private final java.time.Clock clock;

  public ExpiryPurger(PurgeService purge, TransferScheduler scheduler, MoverRegistry movers, java.time.Clock clock) {
    this.clock = clock;
    this.purge = purge;
    this.scheduler = scheduler;
    this.movers = movers;
  }

  @Override
  public void run() {
    try {
      purgeNow();
    } catch (RuntimeException e) {
      LOG.warn("purge failed: {}", e.toString());
    }
  }

  public void purgeNow() {
    long now = clock.millis();
    purge.purgeAbandonedUploads(now);
    List<PurgeService.Purged> batch;
    do {
      batch = purge.purgeExpired(now);
      for (PurgeService.Purged p : batch) {
        scheduler.transfersRemoved(p.transferIds());
        // an offline mover's copy is deleted when it next says hello (orphan reconciliation)
        if (p.moverId() != null) {
          movers.online(p.moverId()).ifPresent(l -> l.session().send(Instructions.deleteDataFile(p.dataFileId())));
        }
      }
    } while (!batch.isEmpty());
  }
}
