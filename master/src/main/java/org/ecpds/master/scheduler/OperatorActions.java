package org.ecpds.master.scheduler;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ecpds.master.db.DataFileDao;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.DestinationAction;
import org.ecpds.master.domain.DestinationState;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.TransferAction;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.db.Json;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.TransferStore.Write;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.UserService.Principal;

/**
 * Operator actions on transfers and destinations, for every adapter (REST, the monitor's gRPC, the
 * CLI): the permission check, the lifecycle's verdict and the change, in one place. Transfer
 * changes run on the scheduler thread, where the live state is, and are committed before the
 * answer. These are rare, so reading the database there is acceptable.
 */
public final class OperatorActions implements org.ecpds.master.service.PortalTransfers {
  private final TransferScheduler scheduler;
  private final UserService users;
  private final DestinationService destinations;
  private final Database db;
  private final Clock clock;
  private final RetrievalScheduler retrievals;

  public OperatorActions(TransferScheduler scheduler, RetrievalScheduler retrievals, UserService users,
      DestinationService destinations, Database db, Clock clock) {
    this.scheduler = scheduler;
    this.retrievals = retrievals;
    this.users = users;
    this.destinations = destinations;
    this.db = db;
    this.clock = clock;
  }

  public DataTransfer transfer(Principal who, long id, TransferAction action, Integer priority) {
    users.requireAdmin(who);
    if (action == TransferAction.PRIORITY) {
      if (priority == null) throw new IllegalArgumentException("priority is required (0-99)");
      if (priority < 0 || priority > 99) throw new IllegalArgumentException("priority must be 0-99, got " + priority);
    }
    String user = who.name();
    if (action == TransferAction.REQUEUE) {
      // a file never fetched goes back to Preset: the retrieval scheduler's, not dissemination's
      TransferLifecycle.require(id, read(id).statusCode(), action);
      Optional<DataTransfer> preset = retrievals.requeueUnfetched(id, "requeued by " + user, user);
      if (preset.isPresent()) return preset.get();
    }
    return scheduler.onSchedulerThread(() -> {
      LiveTransfer lt = scheduler.liveTransfer(id);
      DataTransfer row = lt != null ? lt.row : read(id);
      TransferStatus status = row.statusCode();
      TransferLifecycle.require(id, status, action);
      return switch (action) {
        case REQUEUE -> requeue(lt, row, "requeued by " + user, user);
        case RELEASE -> release(lt, row, "released by " + user, user);
        case STOP -> stop(lt, row, "stopped by " + user, user);
        case PRIORITY -> reprioritise(lt, row, priority);
      };
    });
  }

  public Destination destination(Principal who, String name, DestinationAction action) {
    users.requireAdmin(who);
    Destination d = destinations.get(name);
    action.requireAllowed(d);
    String user = who.name();
    switch (action) {
      case HOLD -> destinations.setDispatchState(d.id(), Destination.HELD, user);
      case RELEASE -> {
        destinations.setDispatchState(d.id(), Destination.ACTIVE, user);
        scheduler.onSchedulerThread(() -> {
          scheduler.resetFailures(d.id());
          scheduler.redispatch(d.id());
          return null;
        });
      }
      case STOP -> {
        destinations.setDispatchState(d.id(), Destination.STOPPED, user);
        scheduler.onSchedulerThread(() -> {
          scheduler.interruptRunning(d.id(), "destination stopped by " + user);
          return null;
        });
      }
      case RESTART -> {
        destinations.setDispatchState(d.id(), Destination.ACTIVE, user);
        bulk(d.id(), List.of(TransferStatus.INTR), TransferAction.REQUEUE, "destination restarted by " + user, user);
      }
      case CLEAN -> bulk(d.id(), List.of(TransferStatus.WAIT, TransferStatus.RETR, TransferStatus.HOLD,
          TransferStatus.INTR, TransferStatus.FAIL), TransferAction.STOP, "destination cleaned by " + user, user);
      case REQUEUE_ALL -> bulk(d.id(), List.of(TransferStatus.FAIL, TransferStatus.STOP, TransferStatus.INTR),
          TransferAction.REQUEUE, "requeued (all) by " + user, user);
    }
    return destinations.get(d.id());
  }

  /**
   * Manual purge (OpenECPDS's -purge, REST datafile/del): every open transfer of the file is
   * stopped (a running one cancelled on its mover), then the file expires now and the purge
   * removes its content and rows. Needs the delete permission on the file's destination.
   */
  public void purge(Principal who, long dataFileId, Runnable purgeNow) {
    DataFile f = db.jdbi().withExtension(DataFileDao.class, dao -> dao.byId(dataFileId))
        .orElseThrow(() -> new NotFoundException("data file " + dataFileId + " not found"));
    Destination home = destinations.get(f.destinationId());
    if (who.admin()) {
      users.requireAdmin(who);
    } else {
      users.requireDelete(who, home.name());
    }
    List<Long> ids = db.jdbi().withExtension(TransferDao.class, dao -> dao.byDataFile(dataFileId)).stream()
        .map(DataTransfer::id).toList();
    scheduler.onSchedulerThread(() -> {
      for (long id : ids) stopIfAllowed(id, "data file purged by " + who.name(), who.name());
      return null;
    });
    long now = clock.millis();
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE data_file SET expiry_ms = :now WHERE id = :id AND expiry_ms > :now")
        .bind("now", now).bind("id", dataFileId).execute());
    purgeNow.run();
  }

  // ------------------------------------------------------------------ portal users' changes

  @Override
  public void stop(List<Long> transferIds, String comment, String user) {
    if (transferIds.isEmpty()) return;
    scheduler.onSchedulerThread(() -> {
      for (long id : transferIds) stopIfAllowed(id, comment, user);
      return null;
    });
  }

  @Override
  public void release(List<Long> transferIds, String comment, String user) {
    if (transferIds.isEmpty()) return;
    scheduler.onSchedulerThread(() -> {
      for (long id : transferIds) {
        LiveTransfer lt = scheduler.liveTransfer(id);
        DataTransfer row = lt != null ? lt.row : read(id);
        if (row.statusCode() == TransferStatus.HOLD && hasHosts(row.destinationId())) release(lt, row, comment, user);
      }
      return null;
    });
  }

  @Override
  public void retargeted(Map<Long, String> targets) {
    if (targets.isEmpty()) return;
    scheduler.onSchedulerThread(() -> {
      targets.forEach((id, target) -> {
        LiveTransfer lt = scheduler.liveTransfer(id);
        if (lt != null) lt.row = lt.row.withTarget(target);
      });
      return null;
    });
  }

  /** The state of every destination, by id, as operators see it. */
  public Map<Long, DestinationState> states() {
    return scheduler.states();
  }

  private void bulk(long destinationId, List<TransferStatus> statuses, TransferAction action, String comment,
      String user) {
    List<Long> all = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT id FROM data_transfer WHERE destination_id = :d AND status IN (<s>) ORDER BY id")
        .bind("d", destinationId).bindList("s", statuses.stream().map(Enum::name).toList()).mapTo(Long.class).list());
    List<Long> ids = action == TransferAction.REQUEUE ? requeueUnfetched(all, comment, user) : all;
    scheduler.onSchedulerThread(() -> {
      for (long id : ids) {
        LiveTransfer lt = scheduler.liveTransfer(id);
        DataTransfer row = lt != null ? lt.row : read(id);
        if (!TransferLifecycle.allows(row.statusCode(), action) || row.statusCode() == TransferStatus.EXEC) continue;
        if (action == TransferAction.REQUEUE) requeue(lt, row, comment, user);
        else stop(lt, row, comment, user);
      }
      scheduler.redispatch(destinationId);
      return null;
    });
  }

  /** Requeues the transfers whose files were never fetched (back to Preset); returns the others. */
  private List<Long> requeueUnfetched(List<Long> ids, String comment, String user) {
    List<Long> rest = new java.util.ArrayList<>();
    for (long id : ids) {
      try {
        if (retrievals.requeueUnfetched(id, comment, user).isEmpty()) rest.add(id);
      } catch (ConflictException | NotFoundException | IllegalStateException skipped) {
        // being fetched, never fetchable, gone, or moved meanwhile: a bulk action leaves it as it is
      }
    }
    return rest;
  }

  // ------------------------------------------------------------------ scheduler thread

  private DataTransfer requeue(LiveTransfer lt, DataTransfer row, String comment, String user) {
    if (lt != null) scheduler.unqueue(lt);
    boolean hosts = hasHosts(row.destinationId());
    TransferStatus to = TransferLifecycle.requeuedStatus(hosts);
    DataTransfer next = scheduler.commitNow(new Write(row.requeued(clock.millis(), true).withStatus(to, user),
        row.statusCode(), comment, user));
    if (to == TransferStatus.WAIT) scheduler.requeued(next, lt != null ? lt.file : facts(row.dataFileId()));
    return next;
  }

  private DataTransfer release(LiveTransfer lt, DataTransfer row, String comment, String user) {
    if (!hasHosts(row.destinationId())) {
      throw new ConflictException("destination has no enabled dissemination host: transfer " + row.id()
          + " stays StandBy (download it through the portal)");
    }
    DataTransfer next = scheduler.commitNow(new Write(row.requeued(clock.millis(), true)
        .withStatus(TransferStatus.WAIT, user), row.statusCode(), comment, user));
    scheduler.requeued(next, lt != null ? lt.file : facts(row.dataFileId()));
    return next;
  }

  /**
   * Stops a transfer if its status allows it. A transfer the scheduler does not hold (StandBy) can be
   * changed meanwhile by a portal download marking it Done; then it is read again and stopped from there.
   */
  private void stopIfAllowed(long id, String comment, String user) {
    for (int attempt = 1; ; attempt++) {
      LiveTransfer lt = scheduler.liveTransfer(id);
      DataTransfer row = lt != null ? lt.row : read(id);
      if (!TransferLifecycle.allowed(row.statusCode(), TransferStatus.STOP)) return;
      try {
        stop(lt, row, comment, user);
        return;
      } catch (ConflictException changedMeanwhile) {
        if (lt != null || attempt == 3) throw changedMeanwhile;
      }
    }
  }

  private DataTransfer stop(LiveTransfer lt, DataTransfer row, String comment, String user) {
    if (lt != null && !scheduler.abort(lt)) scheduler.unqueue(lt);
    DataTransfer next = scheduler.commitNow(new Write(row.withStatus(TransferStatus.STOP, user), row.statusCode(),
        comment, user));
    scheduler.redispatch(row.destinationId());
    return next;
  }

  private DataTransfer reprioritise(LiveTransfer lt, DataTransfer row, int priority) {
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE data_transfer SET priority = :p WHERE id = :id")
        .bind("p", priority).bind("id", row.id()).execute());
    DataTransfer next = row.withPriority(priority);
    if (lt != null) {
      DestinationQueue q = scheduler.queue(row.destinationId());
      boolean queued = q != null && q.remove(row.id()) != null;
      lt.row = next;
      if (queued) {
        q.add(lt);
        scheduler.redispatch(row.destinationId());
      }
    }
    return next;
  }

  private boolean hasHosts(long destinationId) {
    DestinationQueue q = scheduler.queue(destinationId);
    return q != null && !q.hosts.isEmpty();
  }

  private DataTransfer read(long id) {
    return db.jdbi().withExtension(TransferDao.class, dao -> dao.byId(id))
        .orElseThrow(() -> new NotFoundException("transfer " + id + " not found"));
  }

  private FileFacts facts(long dataFileId) {
    DataFile f = db.jdbi().withExtension(DataFileDao.class, dao -> dao.byId(dataFileId))
        .orElseThrow(() -> new NotFoundException("data file " + dataFileId + " not found"));
    return new FileFacts(f.id(), f.moverId() == null ? -1 : f.moverId(), f.size(), f.sha256(), f.source(), f.target(),
        Json.read(f.metadataJson()), f.arrivedMs());
  }
}
