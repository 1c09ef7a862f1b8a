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
  /** Told of each group that settled (every member fetched, or one given up): ecpds -waitfor's waiters. */
  private volatile java.util.function.Consumer<String> groupSettled = g -> {};
  private final ScheduledExecutorService loop;
  private final Timers timers;
  private final PriorityQueue<PresetFile> ready = new PriorityQueue<>(Comparator.comparingInt(PresetFile::priority)
      .thenComparingLong(PresetFile::dataFileId));
  private final Map<String, Flight> inFlight = new HashMap<>();
  /** Per mover and source host: the fetches running there and those queued behind them, in order (all the counts). */
  private final Map<LaneKey, Lane> lanes = new HashMap<>();
  private final AtomicLong attempts = new AtomicLong();
  private final Map<Long, Source> sources = new HashMap<>();
  private long sourcesGeneration = -1;
  /** Results not yet recorded: under load, those that arrive together are committed together. */
  private final java.util.concurrent.ConcurrentLinkedQueue<InstructionResult> results =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean drainScheduled = new java.util.concurrent.atomic.AtomicBoolean();

  /** A fetch sent to a mover. */
  private record Flight(String corr, PresetFile file, Host host, long moverId, long epoch) {}

  private record LaneKey(long moverId, long hostId) {}

  /**
   * One mover's fetches from one host: {@code running} hold the host's connection slots; the queued
   * ones wait on the mover (Retrieve.host_slots) and each takes the slot of the next running one to
   * end, so that the mover starts it at once instead of waiting for this master's round trip.
   */
  private static final class Lane {
    int running;
    final java.util.LinkedHashSet<String> queued = new java.util.LinkedHashSet<>();
  }

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

  /** Who hears that a group settled (every member fetched, or one given up for good). */
  public void onGroupSettled(java.util.function.Consumer<String> listener) {
    groupSettled = listener;
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
    results.add(r);
    if (drainScheduled.compareAndSet(false, true)) loop.execute(this::drainResults);
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

  /**
   * An operator's requeue of a transfer whose file was never fetched: back to Preset and fetched
   * again (attempts counted afresh). Empty when the file's content is stored: dissemination's
   * requeue applies. Throws ConflictException when the file cannot be fetched now.
   */
  public java.util.Optional<DataTransfer> requeueUnfetched(long transferId, String comment, String user) {
    return call(() -> {
      RetrievalStore.Requeued r = store.requeueUnfetched(transferId, comment, user, clock.millis());
      if (r == null) return java.util.Optional.<DataTransfer>empty();
      if (r.toSchedule() != null) {
        schedule(r.toSchedule());
        dispatch();
      }
      return java.util.Optional.of(r.transfer());
    });
  }

  /** Fetches running now, not counting those queued behind them on their mover (tests and the monitor). */
  public int running() {
    return call(() -> runningOn(k -> true));
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
    List<Start> starts = plan();
    if (!starts.isEmpty()) send(starts);
  }

  /** The fetches to start now, in priority order, their slots (or places in a mover's queue) taken. */
  private List<Start> plan() {
    List<PresetFile> skipped = new ArrayList<>();
    List<Start> starts = new ArrayList<>();
    try {
      while (!ready.isEmpty() && skipped.size() <= MAX_SKIPS) {
        PresetFile p = ready.poll();
        Source src;
        try {
          src = source(p.hostId());
        } catch (NotFoundException e) {
          LOG.warn("data file {}: its source host {} is gone; not fetched", p.dataFileId(), p.hostId());
          continue;
        }
        Host host = src.host();
        boolean hostFull = host.maxConnections() > 0
            && runningOn(k -> k.hostId() == host.id()) >= host.maxConnections();
        Long mover = runningOn(k -> true) < policy.maxThreads() && !hostFull ? pickMover() : null;
        boolean queued = mover == null;
        if (queued) mover = queueBehind(host.id());
        if (mover == null) {
          skipped.add(p); // its results or arrivals wake us
          continue;
        }
        try {
          starts.add(reserve(p, host, spec(src), mover, queued));
        } catch (RuntimeException e) {
          // e.g. the host's secret key is unavailable: try the file again later
          retryStart(p, e);
        }
      }
    } finally {
      ready.addAll(skipped);
    }
    return starts;
  }

  /** Running fetches of the lanes whose key matches (one host's, or one mover's): a few lanes, movers x hosts. */
  private int runningOn(java.util.function.Predicate<LaneKey> which) {
    int n = 0;
    for (Map.Entry<LaneKey, Lane> e : lanes.entrySet()) if (which.test(e.getKey())) n += e.getValue().running;
    return n;
  }

  /** A mover fetching from the host with room in its queue behind those fetches (the least queued), or null. */
  private Long queueBehind(long hostId) {
    if (policy.queuedPerConnection() <= 0) return null;
    Long best = null;
    double bestLoad = Double.MAX_VALUE;
    java.util.Set<Long> online = movers.onlineCapacities().keySet();
    for (Map.Entry<LaneKey, Lane> e : lanes.entrySet()) {
      Lane lane = e.getValue();
      if (e.getKey().hostId() != hostId || lane.running == 0 || !online.contains(e.getKey().moverId())) continue;
      if (lane.queued.size() >= lane.running * policy.queuedPerConnection()) continue;
      double load = (double) lane.queued.size() / lane.running;
      if (load < bestLoad) {
        best = e.getKey().moverId();
        bestLoad = load;
      }
    }
    return best;
  }

  /**
   * A source host as last read, with its spec once built (the password decrypted): a dispatch pass runs
   * after every batch of results, and reading the host each time was a query and a decryption per pass.
   * Dropped whenever any host is written ({@link HostService#generation}).
   */
  private static final class Source {
    private final Host host;
    private HostSpec spec;

    Source(Host host) {
      this.host = host;
    }

    Host host() {
      return host;
    }
  }

  private Source source(long hostId) {
    long generation = hosts.generation(); // read before the host: a write after it is seen at the next pass
    if (generation != sourcesGeneration) {
      sources.clear();
      sourcesGeneration = generation;
    }
    Source s = sources.get(hostId);
    if (s == null) {
      s = new Source(hosts.byId(hostId));
      sources.put(hostId, s);
    }
    return s;
  }

  private HostSpec spec(Source s) {
    if (s.spec == null) s.spec = hosts.spec(s.host);
    return s.spec;
  }

  /** A fetch about to start: its slot (or its place in a queue) is taken before the commit that starts it. */
  private record Start(Flight flight, Instruction instruction, String comment) {}

  private Start reserve(PresetFile p, Host host, HostSpec spec, long moverId, boolean queued) {
    String mover = movers.name(moverId).orElse("?");
    String corr = PREFIX + p.dataFileId() + "-" + attempts.incrementAndGet();
    LaneKey key = new LaneKey(moverId, host.id());
    Lane lane = lanes.get(key);
    int slots = (lane == null ? 0 : lane.running) + (queued ? 0 : 1);
    // built before the slot is taken and the commit: a failure here leaves the file Preset
    Instruction in = Instruction.newBuilder().setCorrelationId(corr).setRetrieve(Retrieve.newBuilder()
        .setDataFileId(p.dataFileId()).setHost(spec).setSourcePath(p.path()).setExpectedSize(p.expectedSize())
        .setMinimumRateBytesPerSecond(HostLimits.minimumRate(host)).setMaximumDurationMillis(HostLimits.maximumDuration(host))
        .setDeleteOriginal(p.deleteOriginal()).setHostSlots(slots)).build();
    long epoch = movers.online(moverId).map(l -> l.session().epoch()).orElse(0L);
    Flight f = new Flight(corr, p, host, moverId, epoch);
    lane = lanes.computeIfAbsent(key, k -> new Lane());
    if (queued) {
      lane.queued.add(corr);
    } else {
      lane.running++;
    }
    inFlight.put(corr, f);
    return new Start(f, in, queued ? "queued on mover " + mover + " to fetch from " + host.name()
        : "fetching from " + host.name() + " on mover " + mover);
  }

  /** Commits the starts of one pass in one transaction, then sends their instructions. */
  private void send(List<Start> starts) {
    Set<Long> started;
    try {
      started = store.startFetches(comments(starts));
    } catch (RuntimeException e) {
      notStarted(starts, e);
      return;
    }
    deliver(starts, started);
  }

  private static Map<Long, String> comments(List<Start> starts) {
    Map<Long, String> comments = new java.util.LinkedHashMap<>();
    for (Start st : starts) comments.put(st.flight().file().dataFileId(), st.comment());
    return comments;
  }

  /** The commit of the starts failed (e.g. the database is unavailable): every file is tried again later. */
  private void notStarted(List<Start> starts, RuntimeException e) {
    for (Start st : starts) {
      finish(st.flight().corr());
      retryStart(st.flight().file(), e);
    }
  }

  /** Sends the instructions of the committed starts; the others are given up (no longer Preset). */
  private void deliver(List<Start> starts, Set<Long> started) {
    for (Start st : starts) {
      Flight f = st.flight();
      PresetFile p = f.file();
      if (!started.contains(p.dataFileId())) {
        finish(f.corr());
        LOG.info("data file {} is no longer preset; not fetched", p.dataFileId());
        continue;
      }
      var link = movers.online(f.moverId());
      boolean sent = link.map(l -> l.session().send(MasterMessage.newBuilder().setInstruction(st.instruction()).build()))
          .orElse(false);
      if (!sent) {
        finish(f.corr());
        store.interrupted(p.dataFileId(), "data mover " + movers.name(f.moverId()).orElse("?") + " unreachable",
            clock.millis());
        ready.add(p);
      }
    }
  }

  private void retryStart(PresetFile p, RuntimeException e) {
    LOG.warn("data file {}: cannot start its fetch, trying again in {}: {}", p.dataFileId(), policy.retryDelay(),
        e.toString());
    schedule(p.withDue(clock.millis() + policy.retryDelay().toMillis()));
  }

  /** The online mover with the fewest fetches that has room for one more. */
  private Long pickMover() {
    Long best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (Map.Entry<Long, Integer> m : movers.onlineCapacities().entrySet()) {
      long moverId = m.getKey();
      int load = runningOn(k -> k.moverId() == moverId);
      if (load < m.getValue() && load < bestLoad) {
        best = m.getKey();
        bestLoad = load;
      }
    }
    return best;
  }

  /**
   * Records every result received so far and starts what they made room for: the successes and the
   * starts in one transaction, failures each in its own (they are rare and take a retry timer).
   */
  private void drainResults() {
    drainScheduled.set(false);
    List<Outcome> fetched = new ArrayList<>();
    for (InstructionResult r; (r = results.poll()) != null; ) {
      Flight f = finish(r.getCorrelationId());
      if (f == null) continue; // interrupted meanwhile: already back to Preset
      RetrievalEvents.finished(f.file(), f.host(), movers.name(f.moverId()).orElse("?"), r);
      if (r.getOk()) {
        fetched.add(new Outcome(f, r));
      } else {
        record(f, r);
      }
    }
    List<Start> starts = plan();
    if (fetched.isEmpty()) {
      if (!starts.isEmpty()) send(starts);
      return;
    }
    RetrievalStore.Step step;
    try {
      // one commit for the files fetched and the fetches they made room for
      step = store.fetchedAndStarted(fetched.stream().map(Outcome::stored).toList(), clock.millis(), comments(starts));
    } catch (RuntimeException e) {
      recordFetched(fetched); // apart, each with its own way back
      if (!starts.isEmpty()) send(starts);
      return;
    }
    release(step);
    deliver(starts, step.started());
  }

  /** A fetch and its mover's answer. */
  private record Outcome(Flight flight, InstructionResult result) {
    RetrievalStore.Fetched stored() {
      return new RetrievalStore.Fetched(flight.file().dataFileId(), flight.moverId(), result.getStoredSize(),
          result.getSha256(), result.getVolume(), result.getDurationMillis(), result.getMessage());
    }
  }

  private void recordFetched(List<Outcome> fetched) {
    try {
      release(store.fetchedAll(fetched.stream().map(Outcome::stored).toList(), clock.millis()));
    } catch (RuntimeException e) {
      // one by one, each retried on its own timer until the database takes it
      for (Outcome o : fetched) record(o.flight(), o.result());
    }
  }

  private void release(RetrievalStore.Step step) {
    for (RetrievalStore.Released rel : step.released()) {
      if (!rel.transfers().isEmpty()) arrivals.accept(rel.transfers(), rel.file());
    }
    step.groupsFetched().forEach(this::settled);
  }

  private void settled(String group) {
    try {
      groupSettled.accept(group);
    } catch (RuntimeException e) {
      LOG.warn("group {}: a listener failed: {}", group, e.toString());
    }
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
      release(store.fetchedAll(List.of(new Outcome(f, r).stored()), now));
    } else {
      String why = r.getErrorKind() + ": " + r.getMessage();
      int failures = p.attempts() + 1;
      if (policy.givesUp(failures)) {
        store.gaveUp(p.dataFileId(), why + " (attempt " + failures + " of " + policy.maxAttempts() + ")");
        if (p.groupBy() != null && !p.groupBy().isEmpty()) settled(p.groupBy());
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

  /**
   * Forgets a fetch. A running one's slot goes to the first fetch queued behind it on the same mover
   * and host (which the mover starts as this one ends), or is freed.
   */
  private Flight finish(String corr) {
    Flight f = inFlight.remove(corr);
    if (f == null) return null;
    LaneKey key = new LaneKey(f.moverId(), f.host().id());
    Lane lane = lanes.get(key);
    if (lane != null && !lane.queued.remove(corr)) {
      var next = lane.queued.iterator();
      if (next.hasNext()) {
        next.next();
        next.remove(); // now running in this slot
      } else {
        lane.running--;
      }
    }
    if (lane != null && lane.running == 0 && lane.queued.isEmpty()) lanes.remove(key);
    return f;
  }

  /** Runs on the scheduler thread and waits for the answer (operator actions, start-up). */
  private <T> T call(java.util.function.Supplier<T> task) {
    return LoopCalls.call(loop, "retrieval scheduler", task);
  }
}
