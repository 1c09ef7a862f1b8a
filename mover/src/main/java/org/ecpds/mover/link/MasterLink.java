package org.ecpds.mover.link;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.proto.HeldPage;
import org.ecpds.proto.Heartbeat;
import org.ecpds.proto.Hello;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.ListingPage;
import org.ecpds.proto.MasterMessage;
import org.ecpds.proto.MoverControlGrpc;
import org.ecpds.proto.MoverMessage;
import org.ecpds.proto.Progress;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;
import org.ecpds.proto.Welcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mover's end of {@code MoverControl.Connect}: one bidirectional stream to the master, dialled
 * again with backoff whenever it ends, until {@link #close()}.
 *
 * <p>The link counts as connected once the master answered the Hello with a Welcome. Results
 * produced while disconnected are kept (bounded) and sent after the next Welcome, since a finished
 * transfer must not be lost; progress is only informative and is dropped. Stored reports go
 * through a {@link StoredOutbox}: kept until the master accepts or refuses them for good, and sent
 * again after every Welcome (the master answers a repeat of an arrival it recorded with ok), so a
 * lost ack neither loses the arrival nor leaves the master with a data file whose content is gone.
 */
public final class MasterLink implements StoredReporter, ResultSink, PageSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterLink.class);
  private static final int MAX_QUEUED_RESULTS = 10_000;
  private static final Duration WELCOME_TIMEOUT = Duration.ofSeconds(30);

  private final Supplier<? extends Channel> channels;
  private final String clusterSecret;
  private final Supplier<Hello> hello;
  private final Supplier<Heartbeat> heartbeat;
  private final InstructionHandler handler;
  private final Backoff backoff;
  private final ScheduledExecutorService timer;
  private final Map<String, CompletableFuture<StoredAck>> pendingStored = new ConcurrentHashMap<>();
  private final StoredOutbox outbox;
  private final Duration storedRetry;
  private final Queue<InstructionResult> unsentResults = new ArrayDeque<>();
  private final Object lock = new Object();
  private final Object writable = new Object(); // notified when the stream can take more, or ended

  private Stream current;
  private volatile boolean connected;
  private static final long GOODBYE_MILLIS = 5_000;
  private volatile boolean closed;
  private volatile long moverId;
  private volatile int welcomes;
  private volatile int failedAttempts; // touched only by the (sequential) end of each stream
  private ScheduledFuture<?> heartbeatTask;
  private volatile Supplier<List<Long>> held = List::of;

  public MasterLink(Supplier<? extends Channel> channels, String clusterSecret, Supplier<Hello> hello,
      Supplier<Heartbeat> heartbeat, InstructionHandler handler) {
    this(channels, clusterSecret, hello, heartbeat, handler, Duration.ofMillis(500), Duration.ofSeconds(10));
  }

  public MasterLink(Supplier<? extends Channel> channels, String clusterSecret, Supplier<Hello> hello,
      Supplier<Heartbeat> heartbeat, InstructionHandler handler, Duration initialBackoff, Duration maxBackoff) {
    this(channels, clusterSecret, hello, heartbeat, handler, initialBackoff, maxBackoff, StoredOutbox.inMemory());
  }

  /** @param outbox the Stored reports still to deliver (a passing failure is sent again after {@code maxBackoff}) */
  public MasterLink(Supplier<? extends Channel> channels, String clusterSecret, Supplier<Hello> hello,
      Supplier<Heartbeat> heartbeat, InstructionHandler handler, Duration initialBackoff, Duration maxBackoff,
      StoredOutbox outbox) {
    this.outbox = outbox;
    this.storedRetry = maxBackoff;
    this.channels = channels;
    this.clusterSecret = clusterSecret;
    this.hello = hello;
    this.heartbeat = heartbeat;
    this.handler = handler;
    this.backoff = new Backoff(initialBackoff, maxBackoff);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "master-link");
      t.setDaemon(true);
      return t;
    });
  }

  /** Where the ids of the data files held here come from (sent after every Welcome); set before {@link #start}. */
  public void heldFiles(Supplier<List<Long>> ids) {
    this.held = ids;
  }

  public void start() {
    timer.execute(this::dial);
  }

  /** True between the master's Welcome and the end of that stream. */
  @Override
  public boolean isConnected() {
    return connected;
  }

  /** Waits until connected; false on timeout. */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!connected) {
      if (System.nanoTime() > end || closed) return false;
      Thread.sleep(20);
    }
    return true;
  }

  /** The id the master gave this mover in its last Welcome (0 before the first). */
  public long moverId() {
    return moverId;
  }

  /** How many times the master welcomed this mover (reconnects + 1). */
  public int welcomeCount() {
    return welcomes;
  }

  @Override
  public void sendResult(InstructionResult result) {
    synchronized (lock) {
      if (connected && send(MoverMessage.newBuilder().setResult(result).build())) return;
      if (unsentResults.size() >= MAX_QUEUED_RESULTS) unsentResults.poll();
      unsentResults.add(result);
    }
  }

  /**
   * Waits until gRPC's outbound buffer has room (flow control: a listing goes no faster than the
   * master reads) and sends the page; false when the link is down or drops meanwhile.
   */
  @Override
  public boolean sendListingPage(ListingPage page) throws InterruptedException {
    synchronized (writable) {
      while (true) {
        Stream s = current;
        if (!connected || s == null || s.requests == null) return false;
        if (s.requests.isReady()) break;
        writable.wait(1_000); // woken by the ready handler or the stream's end; the bound re-checks
      }
    }
    synchronized (lock) {
      return connected && send(MoverMessage.newBuilder().setListingPage(page).build());
    }
  }

  private void wakeWriters() {
    synchronized (writable) {
      writable.notifyAll();
    }
  }

  @Override
  public void sendProgress(Progress progress) {
    synchronized (lock) {
      if (connected) send(MoverMessage.newBuilder().setProgress(progress).build());
    }
  }

  /**
   * Tells the master a data file is durably stored. The report is kept in the outbox and delivered
   * whenever the link is up until the master answers it for good; the future completes with the
   * first answer, or exceptionally when the link is down or drops first (the report stays).
   */
  @Override
  public CompletableFuture<StoredAck> reportStored(Stored stored) {
    // one correlation id per data file: an answer to any copy of the report is the answer
    Stored s = stored.toBuilder().setCorrelationId(correlationId(stored.getDataFileId())).build();
    CompletableFuture<StoredAck> f = new CompletableFuture<>();
    pendingStored.put(s.getCorrelationId(), f);
    f.whenComplete((a, e) -> pendingStored.remove(s.getCorrelationId(), f));
    outbox.add(s);
    synchronized (lock) {
      if (!connected || !send(MoverMessage.newBuilder().setStored(s).build())) {
        f.completeExceptionally(new IllegalStateException("not connected to the master; reported once it is"));
      }
    }
    return f;
  }

  /** The outbox of this link's Stored reports. */
  public StoredOutbox outbox() {
    return outbox;
  }

  private static String correlationId(long dataFileId) {
    return "stored-" + dataFileId;
  }

  private void onStoredAck(StoredAck ack) {
    long id = ack.getDataFileId();
    if (ack.getOk()) {
      outbox.accepted(id);
    } else if (ack.getRefused()) {
      LOG.warn("master refused data file {}: {}", id, ack.getMessage());
      outbox.refused(id);
    } else {
      LOG.warn("master could not record data file {} yet ({}); reporting it again in {}", id, ack.getMessage(),
          storedRetry);
      try {
        timer.schedule(() -> resend(id), storedRetry.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing: the report stays in the outbox for the next start
      }
    }
    CompletableFuture<StoredAck> f = pendingStored.get(ack.getCorrelationId());
    if (f != null) f.complete(ack);
  }

  private void resend(long dataFileId) {
    synchronized (lock) {
      if (!connected) return; // the next Welcome sends it
      outbox.pending().stream().filter(s -> s.getDataFileId() == dataFileId).findFirst()
          .ifPresent(s -> send(MoverMessage.newBuilder().setStored(s).build()));
    }
  }

  // ------------------------------------------------------------------------------ stream life

  private void dial() {
    if (closed) return;
    try {
      Channel channel = channels.get();
      // our backoff paces the attempts; without this the channel's own (up to 2 min) would stack on it
      if (channel instanceof io.grpc.ManagedChannel mc) mc.resetConnectBackoff();
      MoverControlGrpc.MoverControlStub stub = MoverControlGrpc.newStub(channel)
          .withCallCredentials(ClusterAuth.callCredentials(clusterSecret));
      Stream s = new Stream();
      synchronized (lock) {
        current = s;
      }
      stub.connect(s);
      synchronized (lock) {
        if (current == s) send(MoverMessage.newBuilder().setHello(withUnsentResults(hello.get())).build());
      }
      timer.schedule(() -> welcomeOverdue(s), WELCOME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.warn("cannot open the master link: {}", e.toString());
      synchronized (lock) {
        current = null;
      }
      scheduleRedial();
    }
  }

  /**
   * Instructions whose results wait to be sent are named as still running: the master keeps them in
   * flight, and their results follow the Welcome, instead of running them again. Under {@link #lock}.
   */
  private Hello withUnsentResults(Hello h) {
    if (unsentResults.isEmpty()) return h;
    java.util.Set<String> named = new java.util.HashSet<>(h.getRunningCorrelationIdsList());
    Hello.Builder b = h.toBuilder();
    for (InstructionResult r : unsentResults) {
      if (named.add(r.getCorrelationId())) b.addRunningCorrelationIds(r.getCorrelationId());
    }
    return b.build();
  }

  private void welcomeOverdue(Stream s) {
    if (!s.welcomed && !s.ended) {
      LOG.warn("master did not answer the hello within {}; dialling again", WELCOME_TIMEOUT);
      s.cancel("no welcome");
    }
  }

  private void onWelcome(Stream s, Welcome w) {
    synchronized (lock) {
      if (current != s) return;
      s.welcomed = true;
      moverId = w.getMoverId();
      connected = true;
      welcomes++;
      int every = w.getHeartbeatSeconds() > 0 ? w.getHeartbeatSeconds() : 10;
      heartbeatTask = timer.scheduleAtFixedRate(() -> beat(s), every, every, TimeUnit.SECONDS);
      while (!unsentResults.isEmpty() && send(MoverMessage.newBuilder().setResult(unsentResults.peek()).build())) {
        unsentResults.poll();
      }
      // before any new report on this stream, so the master records arrivals in the order they were stored
      for (Stored st : outbox.pending()) send(MoverMessage.newBuilder().setStored(st).build());
      timer.execute(() -> sendHeld(s)); // a big store takes a while to list: not on gRPC's thread, not under the lock
    }
    timer.execute(backoff::reset);
    LOG.info("connected to the master as mover id {} (heartbeat every {}s)", w.getMoverId(), w.getHeartbeatSeconds());
  }

  /** Most data file ids in one HeldPage: about 1 MiB, well under gRPC's 4 MiB message limit. */
  static final int HELD_PAGE = 100_000;

  /**
   * The data files this mover holds, listed once the master has welcomed it (not at every attempt
   * while the master is away) and sent in pages: the master deletes those it no longer knows.
   */
  private void sendHeld(Stream s) {
    List<Long> ids;
    try {
      ids = held.get();
    } catch (RuntimeException e) {
      LOG.warn("cannot list the data files held here for the master: {}", e.toString());
      return;
    }
    for (int i = 0; i < ids.size(); i += HELD_PAGE) {
      List<Long> page = ids.subList(i, Math.min(ids.size(), i + HELD_PAGE));
      synchronized (lock) {
        if (current != s || !connected) return; // the next Welcome sends them again
        if (!send(MoverMessage.newBuilder().setHeld(HeldPage.newBuilder().addAllDataFileIds(page)).build())) return;
      }
    }
  }

  private void beat(Stream s) {
    try {
      Heartbeat hb = heartbeat.get();
      synchronized (lock) {
        if (current == s && connected) send(MoverMessage.newBuilder().setHeartbeat(hb).build());
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot build a heartbeat: {}", e.toString());
    }
  }

  private void onEnded(Stream s, Throwable error) {
    synchronized (lock) {
      s.ended = true;
      if (current != s) return;
      current = null;
      connected = false;
      if (heartbeatTask != null) heartbeatTask.cancel(false);
    }
    wakeWriters();
    IllegalStateException dropped = new IllegalStateException("master link dropped"
        + (error == null ? "" : ": " + Status.fromThrowable(error)));
    pendingStored.values().forEach(f -> f.completeExceptionally(dropped));
    if (!closed) {
      // a lost link is worth a warning; repeated failed attempts while the master is away are not
      String why = error == null ? "closed by the master" : String.valueOf(Status.fromThrowable(error));
      if (s.welcomed || ++failedAttempts % 20 == 1) LOG.warn("master link ended ({}); dialling again", why);
      else LOG.debug("master link attempt failed ({})", why);
      if (s.welcomed) failedAttempts = 0;
      scheduleRedial();
    }
  }

  private void scheduleRedial() {
    if (closed) return;
    try {
      timer.execute(() -> timer.schedule(this::dial, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Serialized by {@link #lock}: StreamObserver is not thread-safe. */
  private boolean send(MoverMessage m) {
    Stream s = current;
    if (s == null || s.requests == null) return false;
    try {
      s.requests.onNext(m);
      return true;
    } catch (RuntimeException e) {
      LOG.debug("send failed on a closing stream: {}", e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    Stream s;
    synchronized (lock) {
      s = current;
      if (s != null && s.requests != null) {
        try {
          s.requests.onCompleted();
        } catch (RuntimeException ignored) {
          // already closed
        }
      }
      current = null;
      connected = false;
    }
    if (s != null) {
      // the master answers the half-close by completing the call; cancelling before that would
      // reach it as a lost stream (CANCELLED) instead of this mover's goodbye. Bounded: a master
      // that does not answer does not hold up the shutdown.
      try {
        s.done.await(GOODBYE_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      s.cancel("mover shutting down");
    }
    pendingStored.values().forEach(f -> f.completeExceptionally(new IllegalStateException("mover shutting down")));
    timer.shutdownNow();
  }

  /** One attempt of the Connect call. */
  private final class Stream implements ClientResponseObserver<MoverMessage, MasterMessage> {
    volatile ClientCallStreamObserver<MoverMessage> requests;
    volatile boolean welcomed;
    volatile boolean ended;
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void beforeStart(ClientCallStreamObserver<MoverMessage> requestStream) {
      this.requests = requestStream;
      requestStream.setOnReadyHandler(MasterLink.this::wakeWriters);
    }

    void cancel(String why) {
      ClientCallStreamObserver<MoverMessage> r = requests;
      if (r != null) r.cancel(why, null);
    }

    @Override
    public void onNext(MasterMessage m) {
      switch (m.getKindCase()) {
        case WELCOME -> onWelcome(this, m.getWelcome());
        case INSTRUCTION -> {
          try {
            handler.onInstruction(m.getInstruction());
          } catch (RuntimeException e) {
            LOG.error("instruction {} could not be handled", m.getInstruction().getCorrelationId(), e);
          }
        }
        case STORED_ACK -> onStoredAck(m.getStoredAck());
        default -> LOG.warn("ignoring an unknown message from the master: {}", m.getKindCase());
      }
    }

    @Override
    public void onError(Throwable t) {
      done.countDown();
      onEnded(this, t);
    }

    @Override
    public void onCompleted() {
      done.countDown();
      onEnded(this, null);
    }
  }
}
