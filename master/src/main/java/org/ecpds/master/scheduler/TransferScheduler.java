package org.ecpds.master.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.ecpds.master.db.DataFileDao;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.HostAssociation;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.TransferStore;
import org.ecpds.master.service.TransferStore.Change;
import org.ecpds.master.service.Transfers;
import org.ecpds.proto.Cancel;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MasterMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dissemination scheduler. Event-driven: every decision runs on one scheduler thread, woken by
 * new transfers, results, mover changes, operator actions and retry timers; nothing polls. Queues
 * live in memory (rebuilt from the database at start); the database is the durable record and
 * every status change is committed, with its history row, before it is acted on. A transfer
 * waiting for its retry time is out of the queue (on a timer), so it never stalls the others.
 */
public final class TransferScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransferScheduler.class);
  private static final String SYSTEM = "scheduler";

  private final Database db;
  private final TransferStore store;
  private final DestinationService destinations;
  private final HostService hosts;
  private final MoverRegistry movers;
  private final ScheduledExecutorService loop;
  private final Map<Long, DestinationQueue> queues = new HashMap<>();
  private final Map<String, InFlight> inFlight = new HashMap<>();
  private final Map<Long, ScheduledFuture<?>> retryTimers = new HashMap<>();
  /** Host index the next attempt of a transfer should use (set on failover). */
  private final Map<Long, Integer> nextHost = new HashMap<>();
  private final Map<Long, List<HostAssociation>> hostsByDestination = new HashMap<>();
  private final AtomicLong attempts = new AtomicLong();

  private record InFlight(String correlationId, long transferId, long destinationId, long moverId, int hostIndex,
      int hostCount, String destination, String host, String method) {}

  public TransferScheduler(Database db, TransferStore store, DestinationService destinations, HostService hosts,
      MoverRegistry movers) {
    this.db = db;
    this.store = store;
    this.destinations = destinations;
    this.hosts = hosts;
    this.movers = movers;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ecpds-scheduler");
      t.setDaemon(true);
      return t;
    });
  }

  /** Rebuilds the queues from the database; transfers that were running when the master stopped are requeued. */
  public void start() {
    call(() -> {
      for (Destination d : destinations.list()) queues.put(d.id(), new DestinationQueue(d));
      List<DataTransfer> open = db.jdbi().withExtension(TransferDao.class,
          dao -> dao.byStatuses(List.of("WAIT", "RETR", "EXEC")));
      for (DataTransfer t : open) {
        switch (t.statusCode()) {
          case WAIT -> queue(t);
          case RETR -> scheduleRetry(t);
          case EXEC -> interruptAndRequeue(t, "master restarted during the transfer");
          default -> { }
        }
      }
      LOG.info("scheduler started with {} destinations, {} open transfers", queues.size(), open.size());
      queues.keySet().forEach(this::dispatch);
      return null;
    });
  }

  // ------------------------------------------------------------------ events (any thread)

  /** New transfers were committed (e.g. a file arrived). */
  public void transfersCreated(List<Long> transferIds) {
    loop.execute(() -> {
      for (long id : transferIds) {
        db.jdbi().withExtension(TransferDao.class, dao -> dao.byId(id)).filter(t -> t.statusCode() == TransferStatus.WAIT)
            .ifPresent(this::queue);
      }
      dispatchAll();
    });
  }

  public void moverOnline(long moverId, Set<String> stillRunning) {
    loop.execute(() -> {
      interruptLost(moverId, stillRunning, "data mover reconnected without the transfer");
      dispatchAll();
    });
  }

  public void moverLost(long moverId) {
    loop.execute(() -> {
      interruptLost(moverId, Set.of(), "data mover lost");
      dispatchAll();
    });
  }

  public void result(long moverId, InstructionResult r) {
    loop.execute(() -> onResult(moverId, r));
  }

  public void progress(String correlationId, long bytes) {
    loop.execute(() -> {
      InFlight f = inFlight.get(correlationId);
      if (f != null) {
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE data_transfer SET sent = :b WHERE id = :id AND status = 'EXEC'")
            .bind("b", bytes).bind("id", f.transferId()).execute());
      }
    });
  }

  /** Transfers deleted by the purge: forget them (they are never running). */
  public void transfersRemoved(List<Long> transferIds) {
    loop.execute(() -> {
      for (long id : transferIds) {
        cancelTimer(id);
        nextHost.remove(id);
        queues.values().forEach(q -> q.remove(id));
      }
    });
  }

  /** Destination or host settings changed: re-read them and dispatch. */
  public void settingsChanged() {
    loop.execute(() -> {
      hostsByDestination.clear();
      Map<Long, Destination> now = new HashMap<>();
      for (Destination d : destinations.list()) now.put(d.id(), d);
      queues.keySet().removeIf(id -> !now.containsKey(id));
      now.forEach((id, d) -> queues.computeIfAbsent(id, k -> new DestinationQueue(d)).destination = d);
      dispatchAll();
    });
  }

  public DataTransfer requeue(long transferId, String user) {
    return call(() -> {
      DataTransfer t = db.jdbi().withExtension(TransferDao.class, dao -> dao.byId(transferId))
          .orElseThrow(() -> new NotFoundException("transfer " + transferId + " not found"));
      if (!t.statusCode().canRequeue()) {
        throw new org.ecpds.master.domain.ConflictException("transfer " + transferId + " is " + t.status()
            + " and cannot be requeued now");
      }
      cancelTimer(transferId);
      nextHost.remove(transferId);
      boolean portalOnly = disseminationHosts(t.destinationId()).isEmpty();
      TransferStatus to = portalOnly ? TransferStatus.HOLD : TransferStatus.WAIT;
      DataTransfer next = store.apply(transferId, new Change(t.statusCode(), to,
          x -> Transfers.requeued(x, System.currentTimeMillis(), true), "requeued by " + user, user));
      if (to == TransferStatus.WAIT) {
        queue(next);
        dispatch(next.destinationId());
      }
      return next;
    });
  }

  public DataTransfer stop(long transferId, String user) {
    return call(() -> {
      DataTransfer t = db.jdbi().withExtension(TransferDao.class, dao -> dao.byId(transferId))
          .orElseThrow(() -> new NotFoundException("transfer " + transferId + " not found"));
      if (!t.statusCode().canStop()) {
        throw new org.ecpds.master.domain.ConflictException("transfer " + transferId + " is already " + t.status());
      }
      cancelTimer(transferId);
      nextHost.remove(transferId);
      Optional.ofNullable(queues.get(t.destinationId())).ifPresent(q -> q.remove(transferId));
      if (t.statusCode() == TransferStatus.EXEC) abortInFlight(transferId);
      DataTransfer next = store.apply(transferId, new Change(t.statusCode(), TransferStatus.STOP, null,
          "stopped by " + user, user));
      dispatch(t.destinationId());
      return next;
    });
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }

  // ------------------------------------------------------------------ scheduler thread only

  private void queue(DataTransfer t) {
    DestinationQueue q = queues.computeIfAbsent(t.destinationId(), id -> new DestinationQueue(destinations.get(id)));
    long moverId = db.jdbi().withExtension(DataFileDao.class, dao -> dao.byId(t.dataFileId()))
        .map(f -> f.moverId() == null ? -1L : f.moverId()).orElse(-1L);
    q.add(new QueuedTransfer(t.id(), t.priority(), t.queueMs(), t.dataFileId(), moverId));
  }

  private void dispatchAll() {
    for (Long id : new ArrayList<>(queues.keySet())) dispatch(id);
  }

  private void dispatch(long destinationId) {
    DestinationQueue q = queues.get(destinationId);
    if (q == null || !q.destination.enabled() || q.queue.isEmpty()) return;
    List<HostAssociation> hostList = disseminationHosts(destinationId);
    if (hostList.isEmpty()) return;
    Iterator<QueuedTransfer> it = q.queue.iterator();
    while (it.hasNext() && q.running < q.destination.maxConnections()) {
      QueuedTransfer next = it.next();
      if (!movers.hasCapacity(next.moverId())) continue;
      it.remove();
      q.byId.remove(next.id());
      try {
        start(q, next, hostList);
      } catch (RuntimeException e) {
        LOG.warn("cannot dispatch transfer {}: {}", next.id(), e.toString());
      }
    }
  }

  private void start(DestinationQueue q, QueuedTransfer next, List<HostAssociation> hostList) {
    int hostIndex = nextHost.getOrDefault(next.id(), Math.min(q.stickyHost, hostList.size() - 1));
    Host host = hostList.get(hostIndex).host();
    long now = System.currentTimeMillis();
    DataTransfer t = store.apply(next.id(), new Change(TransferStatus.WAIT, TransferStatus.EXEC,
        x -> Transfers.dispatched(x, host.id(), next.moverId(), now), "sending to " + host.name(), SYSTEM));
    DataFile f = db.jdbi().withExtension(DataFileDao.class, dao -> dao.byId(t.dataFileId())).orElseThrow();
    String correlationId = "t" + t.id() + "-" + attempts.incrementAndGet();
    Instruction instruction = Instruction.newBuilder().setCorrelationId(correlationId)
        .setDisseminate(Disseminate.newBuilder().setTransferId(t.id()).setDataFileId(f.id()).setSize(f.size())
            .setSha256(f.sha256()).setHost(spec(host))
            .setTargetPath(TargetPaths.resolve(host.directory(), q.destination.name(), t.target(), Instant.now())))
        .build();
    inFlight.put(correlationId, new InFlight(correlationId, t.id(), q.destination.id(), next.moverId(), hostIndex,
        hostList.size(), q.destination.name(), host.name(), host.transferMethod()));
    q.running++;
    movers.adjustRunning(next.moverId(), +1);
    boolean sent = movers.online(next.moverId())
        .map(l -> l.session().send(MasterMessage.newBuilder().setInstruction(instruction).build())).orElse(false);
    if (!sent) {
      release(inFlight.remove(correlationId));
      interruptAndRequeue(t, "data mover unreachable");
    }
  }

  private void onResult(long moverId, InstructionResult r) {
    InFlight f = inFlight.remove(r.getCorrelationId());
    if (f == null) return; // stopped, interrupted or from a previous life: already accounted for
    release(f);
    long now = System.currentTimeMillis();
    DestinationQueue q = queues.get(f.destinationId());
    try {
      String mover = movers.name(f.moverId()).orElse("?");
      if (r.getOk()) {
        nextHost.remove(f.transferId());
        DataTransfer done = store.apply(f.transferId(), new Change(TransferStatus.EXEC, TransferStatus.DONE,
            x -> Transfers.finished(x, r.getBytes(), now), "done in " + r.getDurationMillis() + " ms", SYSTEM));
        if (q != null && Destination.NEXT_AND_STAY.equals(q.destination.onHostFailure())) q.stickyHost = f.hostIndex();
        TransferEvents.delivered(done, f.destination(), f.host(), f.method(), mover, r);
      } else {
        DataTransfer after = onFailure(f, r, q);
        TransferEvents.failed(after, f.destination(), f.host(), f.method(), mover, r, after.status());
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot record result of transfer {}: {}", f.transferId(), e.toString());
    }
    dispatch(f.destinationId());
  }

  /** Applies the retry policy to a failed attempt; returns the transfer as it now stands. */
  private DataTransfer onFailure(InFlight f, InstructionResult r, DestinationQueue q) {
    String why = r.getErrorKind() + ": " + r.getMessage();
    boolean anotherHost = f.hostIndex() + 1 < f.hostCount() && RetryPolicy.failOver(r.getErrorKind());
    if (anotherHost) {
      // fail over at once; a whole round over all hosts counts as one failure
      nextHost.put(f.transferId(), f.hostIndex() + 1);
      store.apply(f.transferId(), new Change(TransferStatus.EXEC, TransferStatus.RETR,
          x -> Transfers.withMessage(x, why), "failed: " + why + "; trying next host", SYSTEM));
      DataTransfer back = store.apply(f.transferId(), new Change(TransferStatus.RETR, TransferStatus.WAIT, null,
          "failover to host #" + (f.hostIndex() + 2), SYSTEM));
      if (q != null && Destination.NEXT_AND_STAY.equals(q.destination.onHostFailure())) q.stickyHost = f.hostIndex() + 1;
      queue(back);
      return back;
    }
    Destination d = q != null ? q.destination : destinations.get(f.destinationId());
    DataTransfer t = db.jdbi().withExtension(TransferDao.class, dao -> dao.byId(f.transferId())).orElseThrow();
    int failures = t.failureCount() + 1;
    nextHost.remove(f.transferId());
    if (!RetryPolicy.retryable(r.getErrorKind())) {
      return store.apply(f.transferId(), new Change(TransferStatus.EXEC, TransferStatus.STOP,
          x -> Transfers.failed(x, why, failures, x.queueMs()), "not retryable, stopped: " + why, SYSTEM));
    }
    if (failures > d.retryCount()) {
      return store.apply(f.transferId(), new Change(TransferStatus.EXEC, TransferStatus.STOP,
          x -> Transfers.failed(x, why, failures, x.queueMs()), "failed " + failures + " times, giving up: " + why, SYSTEM));
    }
    long due = System.currentTimeMillis() + d.retryFrequencyMs();
    DataTransfer retr = store.apply(f.transferId(), new Change(TransferStatus.EXEC, TransferStatus.RETR,
        x -> Transfers.failed(x, why, failures, due), "failed (" + failures + "/" + d.retryCount() + "): " + why
            + "; retry in " + d.retryFrequencyMs() + " ms", SYSTEM));
    scheduleRetry(retr);
    return retr;
  }

  private void scheduleRetry(DataTransfer t) {
    long delay = Math.max(0, t.queueMs() - System.currentTimeMillis());
    cancelTimer(t.id());
    retryTimers.put(t.id(), loop.schedule(() -> retryDue(t.id()), delay, TimeUnit.MILLISECONDS));
  }

  private void retryDue(long transferId) {
    retryTimers.remove(transferId);
    try {
      DataTransfer back = store.apply(transferId, new Change(TransferStatus.RETR, TransferStatus.WAIT, null,
          "retry time reached", SYSTEM));
      queue(back);
      dispatch(back.destinationId());
    } catch (RuntimeException e) {
      LOG.debug("retry of {} skipped: {}", transferId, e.getMessage());
    }
  }

  private void interruptLost(long moverId, Set<String> stillRunning, String why) {
    List<InFlight> lost = inFlight.values().stream()
        .filter(f -> f.moverId() == moverId && !stillRunning.contains(f.correlationId())).toList();
    for (InFlight f : lost) {
      inFlight.remove(f.correlationId());
      release(f);
      db.jdbi().withExtension(TransferDao.class, dao -> dao.byId(f.transferId()))
          .filter(t -> t.statusCode() == TransferStatus.EXEC).ifPresent(t -> interruptAndRequeue(t, why));
    }
  }

  /** EXEC -> INTR -> WAIT (two history rows); stays INTR once the destination's maxRequeue is used up. */
  private void interruptAndRequeue(DataTransfer t, String why) {
    DataTransfer intr = store.apply(t.id(), new Change(TransferStatus.EXEC, TransferStatus.INTR,
        x -> Transfers.withMessage(x, why), why, SYSTEM));
    Destination d = destinations.get(t.destinationId());
    if (intr.requeueCount() >= d.maxRequeue()) {
      LOG.warn("transfer {} interrupted {} times; left INTR for an operator", t.id(), intr.requeueCount());
      return;
    }
    DataTransfer back = store.apply(t.id(), new Change(TransferStatus.INTR, TransferStatus.WAIT,
        x -> Transfers.requeued(x, x.queueMs(), false), "requeued after interruption", SYSTEM));
    queue(back);
  }

  private void abortInFlight(long transferId) {
    inFlight.values().stream().filter(f -> f.transferId() == transferId).findFirst().ifPresent(f -> {
      inFlight.remove(f.correlationId());
      release(f);
      movers.online(f.moverId()).ifPresent(l -> l.session().send(MasterMessage.newBuilder()
          .setInstruction(Instruction.newBuilder().setCorrelationId("cancel-" + f.correlationId())
              .setCancel(Cancel.newBuilder().setCorrelationIdToCancel(f.correlationId())))
          .build()));
    });
  }

  private void release(InFlight f) {
    if (f == null) return;
    DestinationQueue q = queues.get(f.destinationId());
    if (q != null) q.running = Math.max(0, q.running - 1);
    movers.adjustRunning(f.moverId(), -1);
  }

  private void cancelTimer(long transferId) {
    ScheduledFuture<?> timer = retryTimers.remove(transferId);
    if (timer != null) timer.cancel(false);
  }

  /** Read once per destination and kept until a destination or host changes (settingsChanged). */
  private List<HostAssociation> disseminationHosts(long destinationId) {
    return hostsByDestination.computeIfAbsent(destinationId, id -> destinations.hosts(id).stream()
        .filter(a -> Host.DISSEMINATION.equals(a.host().type()) && a.host().enabled()).toList());
  }

  private HostSpec spec(Host h) {
    return HostSpec.newBuilder().setHostId(h.id()).setName(h.name()).setTransferMethod(h.transferMethod())
        .setAddress(h.address()).setPort(h.port()).setLogin(h.login()).setPassword(hosts.password(h))
        .putAllOptions(hosts.clearOptions(h)).build();
  }

  /** Runs on the scheduler thread and waits for the answer (operator actions, start-up). */
  private <T> T call(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        f.complete(task.get());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("scheduler did not answer: " + e, e);
    }
  }
}
