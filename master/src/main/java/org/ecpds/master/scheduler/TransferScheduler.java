package org.ecpds.master.scheduler;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.DestinationState;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.HostAssociation;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.SettingsListener;
import org.ecpds.master.service.TransferStore.Write;
import org.ecpds.proto.Cancel;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MasterMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dissemination scheduler. Every decision runs on one scheduler thread, woken by events that
 * carry their data (arrivals, results, mover and settings changes, operator actions, timers); it
 * never reads the database to react. Status changes go to the {@link StatusWriter}, which commits
 * them in groups; the scheduler acts on a change (e.g. sends the instruction) only once it is
 * committed. A transfer waiting for its retry or scheduled time is on a timer, outside the queue,
 * so it never stalls the others. Rules: {@link DeliveryRules}; states: {@link DestinationState}.
 */
public final class TransferScheduler implements SettingsListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransferScheduler.class);
  static final String SYSTEM = "scheduler";
  /** How many unstartable transfers (full mover or host) a dispatch looks past before giving up. */
  private static final int MAX_SKIPS = 64;

  private final Clock clock;
  private final SchedulerStore store;
  private final HostService hosts;
  private final MoverRegistry movers;
  private final ScheduledExecutorService loop;
  private final StatusWriter writer;
  private final Timers timers;
  private final Map<Long, DestinationQueue> queues = new HashMap<>();
  private final Map<Long, LiveTransfer> live = new HashMap<>();
  private final Map<String, LiveTransfer> inFlight = new HashMap<>();
  private final Map<Long, Integer> runningByHost = new HashMap<>();
  private final Set<Long> blocked = new HashSet<>();
  /** Connection settings per host with the password decrypted once, not on every dispatch. */
  private final Map<Long, HostSpec> specs = new HashMap<>();
  private final AtomicLong attempts = new AtomicLong();
  /** Transfers in flight per connection (scheduler.batchSize): the dispatch window's multiplier. */
  private final int batchSize;

  public TransferScheduler(Clock clock, SchedulerStore store, HostService hosts, MoverRegistry movers) {
    this(clock, store, hosts, movers, 1);
  }

  public TransferScheduler(Clock clock, SchedulerStore store, HostService hosts, MoverRegistry movers, int batchSize) {
    this.batchSize = Math.max(1, batchSize);
    this.clock = clock;
    this.store = store;
    this.hosts = hosts;
    this.movers = movers;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ecpds-scheduler");
      t.setDaemon(true);
      return t;
    });
    this.writer = new StatusWriter(store.transfers(), store.database(), loop);
    this.timers = new Timers(clock, loop);
  }

  /** Rebuilds the queues from the database (one query each for destinations, hosts, open transfers). */
  public void start() {
    writer.start();
    SchedulerStore.Snapshot snap = store.load();
    call(() -> {
      snap.destinations().forEach(d -> queues.put(d.id(), new DestinationQueue(d,
          snap.hosts().getOrDefault(d.id(), List.of()))));
      for (SchedulerStore.Open o : snap.open()) {
        LiveTransfer t = new LiveTransfer(o.row(), o.file());
        switch (o.row().statusCode()) {
          case WAIT -> enqueue(t);
          case RETR -> retryAt(t, o.row().queueMs());
          case EXEC -> interrupt(t, "master restarted during the transfer", true);
          default -> { }
        }
      }
      LOG.info("scheduler started with {} destinations, {} open transfers", queues.size(), snap.open().size());
      queues.values().forEach(this::dispatch);
      return null;
    });
  }

  // ------------------------------------------------------------------ events (any thread)

  /** New transfers were committed (a file arrived): queued with the facts they carry. */
  public void arrived(List<DataTransfer> transfers, FileFacts file) {
    loop.execute(() -> {
      Set<DestinationQueue> touched = new HashSet<>();
      for (DataTransfer t : transfers) {
        // held already: a repeated arrival report (see DataFileService.stored)
        if (t.statusCode() != TransferStatus.WAIT || live.containsKey(t.id())) continue;
        LiveTransfer lt = new LiveTransfer(t, file);
        enqueue(lt);
        DestinationQueue q = queues.get(t.destinationId());
        if (q != null) touched.add(q);
      }
      touched.forEach(this::dispatch);
    });
  }

  /**
   * A mover (re)connected with a new session. Only attempts sent on an earlier session and not
   * listed as still running are lost; one sent on this session in the meantime is not.
   */
  public void moverOnline(long moverId, long sessionEpoch, Set<String> stillRunning) {
    loop.execute(() -> {
      interruptLost(moverId, t -> t.sessionEpoch > 0 && t.sessionEpoch < sessionEpoch
          && !stillRunning.contains(t.correlationId), "data mover reconnected without the transfer");
      queues.values().forEach(this::dispatch);
    });
  }

  public void moverLost(long moverId) {
    loop.execute(() -> {
      interruptLost(moverId, t -> true, "data mover lost");
      dispatchBlocked();
    });
  }

  public void result(long moverId, InstructionResult r) {
    loop.execute(() -> onResult(r));
  }

  public void progress(String correlationId, long bytes) {
    loop.execute(() -> {
      LiveTransfer t = inFlight.get(correlationId);
      if (t != null) writer.progress(t.id(), bytes);
    });
  }

  /** Transfers deleted by the purge: forget them (they are never running). */
  public void transfersRemoved(List<Long> transferIds) {
    loop.execute(() -> transferIds.forEach(id -> {
      LiveTransfer t = live.remove(id);
      timers.cancel(id);
      if (t != null) {
        DestinationQueue q = queues.get(t.destinationId());
        if (q != null) q.remove(id);
      }
    }));
  }

  @Override
  public void destinationChanged(Destination d, List<HostAssociation> disseminationHosts) {
    loop.execute(() -> {
      disseminationHosts.forEach(a -> specs.remove(a.host().id()));
      DestinationQueue q = queues.get(d.id());
      if (q == null) {
        queues.put(d.id(), new DestinationQueue(d, disseminationHosts));
      } else {
        q.update(d, disseminationHosts);
        dispatch(q);
      }
    });
  }

  @Override
  public void destinationRemoved(long destinationId) {
    loop.execute(() -> queues.remove(destinationId));
  }

  /** Runs the timers that are due now (tests advance a manual clock, then tick). */
  public void tick() {
    call(() -> {
      timers.runDue();
      return null;
    });
  }

  // ------------------------------------------------------------------ operator actions (service layer only)

  /** Runs an operator action on the scheduler thread, where the live state is; returns its result. */
  public <T> T onSchedulerThread(Supplier<T> action) {
    return call(action);
  }

  /** Commits one operator-made change and waits for it (scheduler thread). */
  DataTransfer commitNow(Write w) {
    if (!writer.submitAndWait(w).join()) {
      throw new ConflictException("transfer " + w.next().id() + " changed meanwhile; try again");
    }
    return w.next();
  }

  /** The live transfer, if the scheduler holds it (queued, waiting to retry or running). */
  LiveTransfer liveTransfer(long id) {
    return live.get(id);
  }

  DestinationQueue queue(long destinationId) {
    return queues.get(destinationId);
  }

  /** Takes a transfer out of the queue or its timer (before an operator changes it). */
  void unqueue(LiveTransfer t) {
    DestinationQueue q = queues.get(t.destinationId());
    timers.cancel(t.id());
    if (q != null) q.remove(t.id());
    live.remove(t.id());
  }

  /** Stops a running attempt: cancels it on the mover and frees its slots; false if it was not running. */
  boolean abort(LiveTransfer t) {
    if (t.correlationId == null || inFlight.remove(t.correlationId) == null) return false;
    release(t);
    String corr = t.correlationId;
    t.correlationId = null;
    movers.online(t.file.moverId()).ifPresent(l -> l.session().send(MasterMessage.newBuilder()
        .setInstruction(Instruction.newBuilder().setCorrelationId("cancel-" + corr)
            .setCancel(Cancel.newBuilder().setCorrelationIdToCancel(corr)))
        .build()));
    live.remove(t.id());
    return true;
  }

  /** Queues a committed WAIT transfer (new, requeued or released) and dispatches its destination. */
  void requeued(DataTransfer row, FileFacts file) {
    LiveTransfer t = new LiveTransfer(row, file);
    enqueue(t);
    DestinationQueue q = queues.get(row.destinationId());
    if (q != null) dispatch(q);
  }

  /** Re-reads a destination's state after an operator changed it, then dispatches. */
  void redispatch(long destinationId) {
    DestinationQueue q = queues.get(destinationId);
    if (q != null) dispatch(q);
  }

  /** Interrupts every running transfer of a stopped destination (they go back on restart). */
  void interruptRunning(long destinationId, String why) {
    for (LiveTransfer t : new ArrayList<>(inFlight.values())) {
      if (t.destinationId() != destinationId) continue;
      abort(t);
      write(t, TransferStatus.EXEC, t.row.withMessage(why).withStatus(TransferStatus.INTR, SYSTEM), why, ok -> { });
    }
  }

  /** The state operators see, for every destination (scheduler thread). */
  public Map<Long, DestinationState> states() {
    return call(() -> {
      Map<Long, DestinationState> out = new HashMap<>();
      long now = clock.millis();
      queues.forEach((id, q) -> out.put(id, DestinationState.of(q.destination, !q.hosts.isEmpty(),
          q.options.inWindow(Instant.ofEpochMilli(now)), q.running, q.retrying.size())));
      return out;
    });
  }

  @Override
  public void close() {
    writer.close();
    loop.shutdownNow();
  }

  // ------------------------------------------------------------------ scheduler thread only

  private void enqueue(LiveTransfer t) {
    DestinationQueue q = queues.get(t.destinationId());
    if (q == null) return; // destination deleted
    live.put(t.id(), t);
    long due = t.row.queueMs();
    if (!t.row.asap() && due > clock.millis()) {
      // scheduled later (-at, -delay): out of the queue until then, like a retry
      q.scheduled.add(t.id());
      timers.at(due, t.id(), () -> {
        q.scheduled.remove(t.id());
        q.add(t);
        dispatch(q);
      });
      return;
    }
    q.add(t);
  }

  private void dispatchBlocked() {
    if (blocked.isEmpty()) return;
    List<Long> ids = new ArrayList<>(blocked);
    blocked.clear();
    for (long id : ids) {
      DestinationQueue q = queues.get(id);
      if (q != null) dispatch(q);
    }
  }

  private void dispatch(DestinationQueue q) {
    Destination d = q.destination;
    if (!d.enabled() || !Destination.ACTIVE.equals(d.dispatchState()) || q.hosts.isEmpty() || q.queue.isEmpty()) {
      return;
    }
    long now = clock.millis();
    if (!q.options.inWindow(Instant.ofEpochMilli(now))) {
      if (!q.windowTimerSet) {
        q.windowTimerSet = true;
        timers.at(q.options.nextOpening(Instant.ofEpochMilli(now)).toEpochMilli(), "window-" + d.id(), () -> {
          q.windowTimerSet = false;
          dispatch(q);
        });
      }
      return;
    }
    int skips = 0;
    Iterator<LiveTransfer> it = q.queue.iterator();
    int window = DeliveryRules.inFlight(d.maxConnections(), batchSize);
    while (it.hasNext() && q.running < window) {
      LiveTransfer t = it.next();
      int hostIndex = t.hostIndex >= 0 ? Math.min(t.hostIndex, q.hosts.size() - 1) : startHost(q, now);
      Host host = q.hosts.get(hostIndex).host();
      boolean hostFull = host.maxConnections() > 0
          && runningByHost.getOrDefault(host.id(), 0) >= DeliveryRules.inFlight(host.maxConnections(), batchSize);
      if (hostFull || !movers.hasCapacity(t.file.moverId(), batchSize)) {
        blocked.add(d.id());
        if (++skips > MAX_SKIPS) break;
        continue;
      }
      it.remove();
      q.byId.remove(t.id());
      start(q, t, hostIndex, host, now);
    }
  }

  private int startHost(DestinationQueue q, long now) {
    int h = DeliveryRules.startHost(q.destination, q.stickyHost, q.stickySinceMs, q.hosts.size(), now);
    if (h == 0 && q.stickyHost > 0) {
      LOG.info("destination {}: back to the primary host after Reset Frequency", q.destination.name());
      q.stickyHost = 0;
    }
    return h;
  }

  private void start(DestinationQueue q, LiveTransfer t, int hostIndex, Host host, long now) {
    String target;
    try {
      target = TargetPaths.resolve(host.directory(), q.destination, host, t.row, t.file, movers.name(t.file.moverId())
          .orElse(""), Instant.ofEpochMilli(now));
    } catch (IllegalArgumentException e) {
      String why = "directory template of host " + host.name() + ": " + e.getMessage();
      write(t, TransferStatus.WAIT, t.row.withMessage(why).withStatus(TransferStatus.STOP, SYSTEM), why,
          ok -> live.remove(t.id()));
      return;
    }
    String correlationId = "t" + t.id() + "-" + attempts.incrementAndGet();
    t.correlationId = correlationId;
    t.hostIndex = hostIndex;
    t.hostName = host.name();
    t.method = host.transferMethod();
    inFlight.put(correlationId, t);
    q.running++;
    runningByHost.merge(host.id(), 1, Integer::sum);
    movers.adjustRunning(t.file.moverId(), +1);
    DataTransfer next = t.row.dispatched(host.id(), t.file.moverId(), now).withStatus(TransferStatus.EXEC, SYSTEM);
    HostSpec spec = specs.computeIfAbsent(host.id(), id -> spec(host));
    boolean resume = q.destination.resume();
    int sessions = DeliveryRules.sessions(q.destination.maxConnections(), host.maxConnections());
    write(t, TransferStatus.WAIT, next, "sending to " + host.name(), ok -> {
      if (!ok) {
        if (inFlight.remove(correlationId) != null) release(t);
        live.remove(t.id());
        return;
      }
      if (!correlationId.equals(t.correlationId)) return; // stopped meanwhile
      Instruction instruction = Instruction.newBuilder().setCorrelationId(correlationId)
          .setDisseminate(Disseminate.newBuilder().setTransferId(t.id()).setDataFileId(t.file.id())
              .setSize(t.file.size()).setSha256(t.file.sha256()).setHost(spec).setTargetPath(target).setResume(resume)
              .setHostMaxConnections(sessions))
          .build();
      boolean sent = movers.online(t.file.moverId()).map(l -> {
        t.sessionEpoch = l.session().epoch();
        return l.session().send(MasterMessage.newBuilder().setInstruction(instruction).build());
      }).orElse(false);
      if (!sent && inFlight.remove(correlationId) != null) {
        release(t);
        t.correlationId = null;
        interrupt(t, "data mover unreachable; not sent", false);
      }
    });
  }

  private void onResult(InstructionResult r) {
    LiveTransfer t = inFlight.remove(r.getCorrelationId());
    if (t == null) return; // stopped, interrupted or from a previous life: already accounted for
    release(t);
    t.correlationId = null;
    DestinationQueue q = queues.get(t.destinationId());
    long now = clock.millis();
    String mover = movers.name(t.file.moverId()).orElse("?");
    if (r.getOk()) {
      delivered(q, t, r, mover, now);
    } else if (q != null) {
      failed(q, t, r, mover, now);
    }
    if (q != null) dispatch(q);
    dispatchBlocked();
  }

  private void delivered(DestinationQueue q, LiveTransfer t, InstructionResult r, String mover, long now) {
    live.remove(t.id());
    DataTransfer done = t.row.finished(r.getBytes(), r.getResumedFrom(), now).withStatus(TransferStatus.DONE, SYSTEM);
    String comment = "done in " + r.getDurationMillis() + " ms"
        + (r.getResumedFrom() > 0 ? ", resumed from byte " + r.getResumedFrom() : "");
    String host = t.hostName;
    String method = t.method;
    write(t, TransferStatus.EXEC, done, comment, ok -> {
      if (ok) TransferEvents.delivered(done, q == null ? "?" : q.destination.name(), host, method, mover, r);
    });
    if (q == null) return;
    q.consecutiveFailures = 0;
    if (Destination.NEXT_AND_STAY.equals(q.destination.onHostFailure()) && q.stickyHost != t.hostIndex) {
      q.stickyHost = t.hostIndex;
      q.stickySinceMs = now;
    }
    if (Destination.ON_SUCCESS.equals(q.destination.deleteFromSpool())) {
      long fileId = t.file.id();
      writer.submit(() -> store.expireIfAllDone(fileId, now));
    }
  }

  private void failed(DestinationQueue q, LiveTransfer t, InstructionResult r, String mover, long now) {
    String why = r.getErrorKind() + ": " + r.getMessage();
    int failures = t.row.failureCount() + 1;
    DeliveryRules.AfterFailure next = DeliveryRules.afterFailure(q.destination, r.getErrorKind(), t.hostIndex,
        q.hosts.size(), failures, t.row.requeueCount(), now);
    String destination = q.destination.name();
    String host = t.hostName;
    String method = t.method;
    if (next instanceof DeliveryRules.FailOver f) {
        DataTransfer retr = t.row.failed(why, failures, t.row.requeueCount(), t.row.queueMs(), now)
            .withStatus(TransferStatus.RETR, SYSTEM);
        write(t, TransferStatus.EXEC, retr, "failed: " + why + "; trying host #" + (f.hostIndex() + 1), ok ->
            TransferEvents.failed(retr, destination, host, method, mover, r, retr.status()));
        write(t, TransferStatus.RETR, retr.withStatus(TransferStatus.WAIT, SYSTEM),
            "failover to host #" + (f.hostIndex() + 1), ok -> { });
        t.hostIndex = f.hostIndex();
        if (Destination.NEXT_AND_STAY.equals(q.destination.onHostFailure())) {
          q.stickyHost = f.hostIndex();
          q.stickySinceMs = now;
        }
        q.add(t);
    } else if (next instanceof DeliveryRules.RetryLater l) {
        DataTransfer retr = t.row.failed(why, failures, t.row.requeueCount() + 1, l.dueMs(), now)
            .withStatus(TransferStatus.RETR, SYSTEM);
        write(t, TransferStatus.EXEC, retr, "failed: " + why + "; " + l.why(), ok ->
            TransferEvents.failed(retr, destination, host, method, mover, r, retr.status()));
        t.hostIndex = l.hostIndex();
        retryAt(t, l.dueMs());
        transferFailed(q);
    } else if (next instanceof DeliveryRules.Failed f) {
      finalFailure(q, t, TransferStatus.FAIL, why + "; " + f.why(), failures, r, mover, now);
    } else if (next instanceof DeliveryRules.Stopped s) {
      finalFailure(q, t, TransferStatus.STOP, why + "; " + s.why(), failures, r, mover, now);
    }
  }

  private void finalFailure(DestinationQueue q, LiveTransfer t, TransferStatus to, String why, int failures,
      InstructionResult r, String mover, long now) {
    live.remove(t.id());
    DataTransfer end = t.row.failed(why, failures, t.row.requeueCount(), t.row.queueMs(), now).withStatus(to, SYSTEM);
    String destination = q.destination.name();
    String host = t.hostName;
    String method = t.method;
    write(t, TransferStatus.EXEC, end, why, ok -> TransferEvents.failed(end, destination, host, method, mover, r,
        end.status()));
    transferFailed(q);
  }

  /** Retry Count: consecutive failed transfers hold the destination until an operator releases it. */
  private void transferFailed(DestinationQueue q) {
    q.consecutiveFailures++;
    if (!DeliveryRules.holdDestination(q.destination, q.consecutiveFailures)) return;
    if (!Destination.ACTIVE.equals(q.destination.dispatchState())) return;
    LOG.warn("destination {} held: {} consecutive failed transfers (Retry Count {})", q.destination.name(),
        q.consecutiveFailures, q.destination.retryCount());
    q.destination = q.destination.withDispatchState(Destination.HELD, SYSTEM);
    long id = q.destination.id();
    writer.submit(() -> store.setDispatchState(id, Destination.HELD, SYSTEM));
  }

  /** Clears the Retry Count of a destination an operator released. */
  void resetFailures(long destinationId) {
    DestinationQueue q = queues.get(destinationId);
    if (q != null) q.consecutiveFailures = 0;
  }

  private void retryAt(LiveTransfer t, long dueMs) {
    DestinationQueue q = queues.get(t.destinationId());
    if (q == null) return;
    live.put(t.id(), t);
    q.retrying.add(t.id());
    timers.at(dueMs, t.id(), () -> {
      q.retrying.remove(t.id());
      write(t, TransferStatus.RETR, t.row.withStatus(TransferStatus.WAIT, SYSTEM), "retry time reached", ok -> { });
      q.add(t);
      dispatch(q);
    });
  }

  private void interruptLost(long moverId, java.util.function.Predicate<LiveTransfer> lost, String why) {
    List<LiveTransfer> gone = inFlight.values().stream().filter(t -> t.file.moverId() == moverId).filter(lost).toList();
    for (LiveTransfer t : gone) {
      inFlight.remove(t.correlationId);
      release(t);
      t.correlationId = null;
      interrupt(t, why, true);
    }
  }

  /**
   * EXEC -> INTR -> WAIT (two history rows), or INTR -> FAIL once Max Requeue is used up. An
   * attempt that never reached a mover ({@code counts} false) is not a requeue.
   */
  private void interrupt(LiveTransfer t, String why, boolean counts) {
    DestinationQueue q = queues.get(t.destinationId());
    DataTransfer intr = t.row.withMessage(why).withStatus(TransferStatus.INTR, SYSTEM);
    write(t, TransferStatus.EXEC, intr, why, ok -> { });
    if (q == null) {
      live.remove(t.id());
      return;
    }
    if (counts && DeliveryRules.interruptedFails(q.destination, intr.requeueCount())) {
      live.remove(t.id());
      write(t, TransferStatus.INTR, intr.withStatus(TransferStatus.FAIL, SYSTEM), "interrupted "
          + (intr.requeueCount() + 1) + " times (Max Requeue " + q.destination.maxRequeue() + ")", ok -> { });
      return;
    }
    write(t, TransferStatus.INTR, (counts ? intr.requeued(intr.queueMs(), false) : intr.unsent())
        .withStatus(TransferStatus.WAIT, SYSTEM),
        "requeued after interruption", ok -> { });
    q.add(t);
    live.put(t.id(), t);
  }

  /** Records the new row in memory and queues its commit; done runs on this thread after the commit. */
  private void write(LiveTransfer t, TransferStatus from, DataTransfer next, String comment,
      java.util.function.Consumer<Boolean> done) {
    t.row = next;
    writer.submit(new Write(next, from, comment, SYSTEM.equals(next.userStatus()) ? SYSTEM : next.userStatus()), done);
  }

  private void release(LiveTransfer t) {
    DestinationQueue q = queues.get(t.destinationId());
    if (q != null) q.running = Math.max(0, q.running - 1);
    if (t.row.hostId() != null) runningByHost.computeIfPresent(t.row.hostId(), (k, v) -> v <= 1 ? null : v - 1);
    movers.adjustRunning(t.file.moverId(), -1);
  }

  private HostSpec spec(Host h) {
    return hosts.spec(h);
  }

  /** Runs on the scheduler thread and waits for the answer (operator actions, start-up). */
  private <T> T call(Supplier<T> task) {
    return LoopCalls.call(loop, "scheduler", task);
  }
}
