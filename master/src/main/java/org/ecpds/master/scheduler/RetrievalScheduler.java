package org.ecpds.master.scheduler;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.HostService;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.Retrieve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Data Retrieval Scheduler: sends Preset data files to movers to be fetched from their source
 * host, in priority order, at most {@code retrieval.maxThreads} at once, per source host at most its
 * maxConnections and per mover at most its max transfers. Event-driven on one thread of its own
 * (registrations, results, movers coming and going, retry timers); every step is committed by the
 * {@link RetrievalStore} before it is acted on. Fetched files' transfers are handed to dissemination
 * exactly as an upload's arrival is ({@code arrivals}: the TransferScheduler's arrived).
 */
public final class RetrievalScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetrievalScheduler.class);
  /** Correlation ids of fetches start with this, so that the mover link routes their results here. */
  public static final String PREFIX = "fetch-";
  private static final int MAX_SKIPS = 64;

  private final Clock clock;
  private final RetrievalStore store;
  private final HostService hosts;
  private final MoverRegistry movers;
  private final RetrievalPolicy policy;
  private final BiConsumer<List<DataTransfer>, FileFacts> arrivals;
  private final ScheduledExecutorService loop;
  private final Timers timers;
  private final PriorityQueue<PresetFile> ready = new PriorityQueue<>(Comparator.comparingInt(PresetFile::priority)
      .thenComparingLong(PresetFile::dataFileId));
  private final Map<String, Flight> inFlight = new HashMap<>();
  private final Map<Long, Integer> byHost = new HashMap<>();
  private final Map<Long, Integer> byMover = new HashMap<>();
  private final AtomicLong attempts = new AtomicLong();

  /** A fetch sent to a mover. */
  private record Flight(String corr, PresetFile file, Host host, long moverId, long epoch) {}

  public RetrievalScheduler(Clock clock, RetrievalStore store, HostService hosts, MoverRegistry movers,
      RetrievalPolicy policy, BiConsumer<List<DataTransfer>, FileFacts> arrivals) {
    this.clock = clock;
    this.store = store;
    this.hosts = hosts;
    this.movers = movers;
    this.policy = policy;
    this.arrivals = arrivals;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "ecpds-retrieval");
      t.setDaemon(true);
      return t;
    });
    this.timers = new Timers(clock, loop);
  }

  /** Loads the Preset files (fetches left running by the last master go back to Preset first). */
  public void start() {
    call(() -> {
      List<PresetFile> waiting = store.load();
      waiting.forEach(this::schedule);
      LOG.info("retrieval scheduler started with {} preset files", waiting.size());
      dispatch();
      return null;
    });
  }

  // ------------------------------------------------------------------ events (any thread)

  /** A Preset file was committed. */
  public void submitted(PresetFile p) {
    loop.execute(() -> {
      schedule(p);
      dispatch();
    });
  }

  /** True (and handled) when the result is a fetch's. */
  public boolean result(long moverId, InstructionResult r) {
    if (!r.getCorrelationId().startsWith(PREFIX)) return false;
    loop.execute(() -> onResult(r));
    return true;
  }

  /** A mover (re)connected: fetches sent on its earlier session and not still running there are lost. */
  public void moverOnline(long moverId, long sessionEpoch, Set<String> stillRunning) {
    loop.execute(() -> {
      interruptLost(moverId, f -> f.epoch() < sessionEpoch && !stillRunning.contains(f.corr()),
          "data mover reconnected without the fetch");
      dispatch();
    });
  }

  /** A mover went offline: its fetches go back to Preset and are sent elsewhere. */
  public void moverLost(long moverId) {
    loop.execute(() -> {
      interruptLost(moverId, f -> true, "data mover lost during the fetch");
      dispatch();
    });
  }

  /** Runs the retry timers that are due (tests advance a manual clock, then tick). */
  public void tick() {
    call(() -> {
      timers.runDue();
      return null;
    });
  }

  /** Fetches running now (tests and the monitor). */
  public int running() {
    return call(inFlight::size);
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }

  // ------------------------------------------------------------------ retrieval thread only

  private void schedule(PresetFile p) {
    if (p.dueMs() > clock.millis()) {
      timers.at(p.dueMs(), p.dataFileId(), () -> {
        ready.add(p);
        dispatch();
      });
    } else {
      ready.add(p);
    }
  }

  private void dispatch() {
    List<PresetFile> skipped = new ArrayList<>();
    // one lookup per host and pass: a saturated host would otherwise cost a query per skipped file
    Map<Long, Host> seen = new HashMap<>();
    Map<Long, HostSpec> specs = new HashMap<>();
    try {
      while (!ready.isEmpty() && inFlight.size() < policy.maxThreads() && skipped.size() <= MAX_SKIPS) {
        PresetFile p = ready.poll();
        Host host = seen.get(p.hostId());
        if (host == null) {
          try {
            host = hosts.byId(p.hostId());
          } catch (NotFoundException e) {
            LOG.warn("data file {}: its source host {} is gone; not fetched", p.dataFileId(), p.hostId());
            continue;
          }
          seen.put(host.id(), host);
        }
        if (host.maxConnections() > 0 && byHost.getOrDefault(host.id(), 0) >= host.maxConnections()) {
          skipped.add(p);
          continue;
        }
        Long mover = pickMover();
        if (mover == null) {
          skipped.add(p);
          break; // every mover is full (or none is online): their results or arrivals wake us
        }
        try {
          Host h = host;
          start(p, host, specs.computeIfAbsent(host.id(), id -> spec(h)), mover);
        } catch (RuntimeException e) {
          // e.g. the database or the host's secret key is unavailable: try the file again later
          LOG.warn("data file {}: cannot start its fetch, trying again in {}: {}", p.dataFileId(), policy.retryDelay(),
              e.toString());
          schedule(p.withDue(clock.millis() + policy.retryDelay().toMillis()));
        }
      }
    } finally {
      ready.addAll(skipped);
    }
  }

  /** The online mover with the fewest fetches that has room for one more. */
  private Long pickMover() {
    Long best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (Map.Entry<Long, Integer> m : movers.onlineCapacities().entrySet()) {
      int load = byMover.getOrDefault(m.getKey(), 0);
      if (load < m.getValue() && load < bestLoad) {
        best = m.getKey();
        bestLoad = load;
      }
    }
    return best;
  }

  private void start(PresetFile p, Host host, HostSpec spec, long moverId) {
    String mover = movers.name(moverId).orElse("?");
    String corr = PREFIX + p.dataFileId() + "-" + attempts.incrementAndGet();
    // built before the commit: a failure here (the host's secret cannot be read) leaves the file Preset
    Instruction in = Instruction.newBuilder().setCorrelationId(corr).setRetrieve(Retrieve.newBuilder()
        .setDataFileId(p.dataFileId()).setHost(spec).setSourcePath(p.path()).setExpectedSize(p.expectedSize())
        .setMinimumRateBytesPerSecond(HostLimits.minimumRate(host)).setMaximumDurationMillis(HostLimits.maximumDuration(host))
        .setDeleteOriginal(p.deleteOriginal())).build();
    if (!store.startFetch(p.dataFileId(), "fetching from " + host.name() + " on mover " + mover)) {
      LOG.info("data file {} is no longer preset; not fetched", p.dataFileId());
      return;
    }
    var link = movers.online(moverId);
    long epoch = link.map(l -> l.session().epoch()).orElse(0L);
    inFlight.put(corr, new Flight(corr, p, host, moverId, epoch));
    byHost.merge(host.id(), 1, Integer::sum);
    byMover.merge(moverId, 1, Integer::sum);
    boolean sent = link.map(l -> l.session().send(MasterMessage.newBuilder().setInstruction(in).build())).orElse(false);
    if (!sent) {
      finish(corr);
      store.interrupted(p.dataFileId(), "data mover " + mover + " unreachable", clock.millis());
      ready.add(p);
    }
  }

  private void onResult(InstructionResult r) {
    Flight f = finish(r.getCorrelationId());
    if (f == null) return; // interrupted meanwhile: already back to Preset
    RetrievalEvents.finished(f.file(), f.host(), movers.name(f.moverId()).orElse("?"), r);
    record(f, r);
    dispatch();
  }

  /** Commits a fetch's outcome; while the database refuses, it is tried again (the outcome is never dropped). */
  private void record(Flight f, InstructionResult r) {
    try {
      outcome(f, r);
    } catch (RuntimeException e) {
      LOG.warn("data file {}: cannot record its fetch result, trying again in 5 s: {}", f.file().dataFileId(),
          e.toString());
      timers.at(clock.millis() + 5_000, "result-" + f.corr(), () -> record(f, r));
    }
  }

  private void outcome(Flight f, InstructionResult r) {
    PresetFile p = f.file();
    long now = clock.millis();
    if (r.getOk()) {
      for (RetrievalStore.Released rel : store.fetched(p.dataFileId(), f.moverId(), r.getStoredSize(), r.getSha256(),
          r.getVolume(), r.getDurationMillis(), r.getMessage(), now)) {
        if (!rel.transfers().isEmpty()) arrivals.accept(rel.transfers(), rel.file());
      }
    } else {
      String why = r.getErrorKind() + ": " + r.getMessage();
      int failures = p.attempts() + 1;
      if (policy.givesUp(failures)) {
        store.gaveUp(p.dataFileId(), why + " (attempt " + failures + " of " + policy.maxAttempts() + ")");
      } else {
        long due = policy.nextDueMs(failures, now);
        store.retryLater(p.dataFileId(), why + "; attempt " + (failures + 1) + " after " + (due - now) + " ms", due);
        schedule(p.failedAgain(due));
      }
    }
  }

  private void interruptLost(long moverId, java.util.function.Predicate<Flight> lost, String why) {
    for (Map.Entry<String, Flight> e : new ArrayList<>(inFlight.entrySet())) {
      Flight f = e.getValue();
      if (f.moverId() != moverId || !lost.test(f)) continue;
      finish(e.getKey());
      store.interrupted(f.file().dataFileId(), why, clock.millis());
      ready.add(f.file());
    }
  }

  private Flight finish(String corr) {
    Flight f = inFlight.remove(corr);
    if (f == null) return null;
    byHost.computeIfPresent(f.host().id(), (k, v) -> v <= 1 ? null : v - 1);
    byMover.computeIfPresent(f.moverId(), (k, v) -> v <= 1 ? null : v - 1);
    return f;
  }

  private HostSpec spec(Host h) {
    return hosts.spec(h);
  }

  /** Runs on the scheduler thread and waits for the answer (operator actions, start-up). */
  private <T> T call(java.util.function.Supplier<T> task) {
    return LoopCalls.call(loop, "retrieval scheduler", task);
  }
}
