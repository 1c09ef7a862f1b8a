package org.ecpds.master.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.ecpds.common.events.EventLog;
import org.ecpds.master.acquisition.AcquiredFiles;
import org.ecpds.master.acquisition.AcquisitionContext;
import org.ecpds.master.acquisition.AcquisitionScheduler;
import org.ecpds.master.acquisition.DirectoryPass;
import org.ecpds.master.acquisition.DirectoryRule;
import org.ecpds.master.acquisition.DirectoryRules;
import org.ecpds.master.acquisition.Observations;
import org.ecpds.master.acquisition.Registration;
import org.ecpds.master.acquisition.RemoteFile;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.movers.RemoteListings;
import org.ecpds.master.service.AcquisitionService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.RetrievalService;
import org.ecpds.master.service.UserService;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.RemoteEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One acquisition run of one (destination, acquisition host), as the {@link AcquisitionScheduler}
 * starts it: every Directory rule's directory is listed through an online mover, page by page, and
 * each page goes through a {@link DirectoryPass} (stability, dedup, requeue) that registers the files
 * to take as Preset data files; the Data Retrieval Scheduler fetches them. Runs on a small pool of its
 * own so that a slow listing holds neither the scheduler's tick nor the other hosts.
 */
public final class AcquisitionRunner implements AcquisitionScheduler.Runner, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AcquisitionRunner.class);
  private static final int PAGE = 1000;
  private static final Duration DEFAULT_MAXIMUM_DURATION = Duration.ofMinutes(10);
  private static final UserService.Principal ACQUISITION = UserService.Principal.admin("acquisition");

  private final HostService hosts;
  private final DestinationService destinations;
  private final AcquisitionService acquisition;
  private final RetrievalService retrieval;
  private final RemoteListings listings;
  private final MoverRegistry movers;
  private final AcquiredFiles taken;
  private final Observations observations;
  private final Clock clock;
  private final ExecutorService pool;
  private final AtomicInteger nextMover = new AtomicInteger();

  public AcquisitionRunner(HostService hosts, DestinationService destinations, AcquisitionService acquisition,
      RetrievalService retrieval, RemoteListings listings, MoverRegistry movers, AcquiredFiles taken,
      Observations observations, Clock clock, int maxThreads) {
    this.hosts = hosts;
    this.destinations = destinations;
    this.acquisition = acquisition;
    this.retrieval = retrieval;
    this.listings = listings;
    this.movers = movers;
    this.taken = taken;
    this.observations = observations;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(maxThreads, r -> {
      Thread t = new Thread(r, "ecpds-acquisition-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void run(AcquisitionScheduler.Target target, Runnable done) {
    pool.execute(() -> {
      try {
        runNow(target);
      } catch (Exception e) {
        LOG.warn("acquisition of {} for {} failed: {}", target.host(), target.destination(), e.toString());
        event(target, null, null, e);
      } finally {
        done.run();
      }
    });
  }

  /** One run, on the caller's thread: each rule's directory listed and decided in turn. */
  void runNow(AcquisitionScheduler.Target target) throws Exception {
    Host h = hosts.get(target.host());
    Destination d = destinations.get(target.destination());
    DirectoryRules rules = DirectoryRules.parse(h.directory(), h.options());
    AcquisitionContext ctx = acquisition.context(h, d.name());
    String mover = pickMover();
    HostSpec spec = hosts.spec(h);
    Duration limit = maximumDuration(h);
    DirectoryPass.Actions actions = new Actions(d, h, mover, spec);
    for (DirectoryRule rule : rules.rules()) {
      DirectoryRule.Listing listing = rule.listing(ctx, clock);
      try {
        DirectoryPass.Counts c = pass(rule, listing, ctx, d, h, mover, spec, actions, limit);
        event(target, listing.display(), c, null);
      } catch (Exception e) {
        // one rule's directory missing or unreachable does not keep the other rules from running
        LOG.info("acquisition of {} for {}: {}: {}", h.name(), d.name(), listing.display(), e.toString());
        event(target, listing.display(), null, e);
      }
    }
  }

  /**
   * One rule's outcome in a "test on server": the dry run of the first {@code max} entries its
   * directory listed (the listing is read to its end but only those are kept), or why it failed.
   */
  public record ServerTest(org.ecpds.master.acquisition.DryRun.RuleResult result, long listed, boolean truncated,
      String error) {}

  /**
   * OpenECPDS's "Test on Server": lists every rule's directory through an online mover now and shows
   * what a run would decide for its entries, registering, deleting and remembering nothing. Runs on
   * the caller's thread, each listing bounded by the host's acquisition.maximumDuration.
   */
  public List<ServerTest> testOnServer(String hostName, String destination, int max) throws Exception {
    Host h = hosts.get(hostName);
    if (!Host.ACQUISITION.equals(h.type())) throw new IllegalArgumentException("host " + hostName + " is not an acquisition host");
    if (max < 1 || max > 10_000) throw new IllegalArgumentException("max must be between 1 and 10000, not " + max);
    Destination d = destinations.get(acquisition.destinationOf(h, destination));
    DirectoryRules rules = DirectoryRules.parse(h.directory(), h.options());
    AcquisitionContext ctx = acquisition.context(h, d.name());
    String mover = pickMover();
    HostSpec spec = hosts.spec(h);
    Duration limit = maximumDuration(h);
    List<ServerTest> out = new ArrayList<>();
    for (DirectoryRule rule : rules.rules()) {
      DirectoryRule.Listing listing = rule.listing(ctx, clock);
      List<RemoteFile> kept = new ArrayList<>();
      java.util.concurrent.atomic.AtomicLong listed = new java.util.concurrent.atomic.AtomicLong();
      String error = null;
      try {
        listAll(mover, spec, listing, limit, page -> {
          listed.addAndGet(page.size());
          for (RemoteFile f : page) if (kept.size() < max) kept.add(f);
        });
      } catch (TimeoutException e) {
        error = e.getMessage();
      } catch (Exception e) {
        error = e.toString();
      }
      out.add(new ServerTest(org.ecpds.master.acquisition.DryRun.one(rule, listing, ctx, kept), listed.get(),
          listed.get() > kept.size(), error));
    }
    return out;
  }

  private DirectoryPass.Counts pass(DirectoryRule rule, DirectoryRule.Listing listing, AcquisitionContext ctx,
      Destination d, Host h, String mover, HostSpec spec, DirectoryPass.Actions actions, Duration limit) throws Exception {
    // the previous listing is this rule's own: two lines on one directory would otherwise compare a
    // listing with the other line's listing of the same run, milliseconds old, and take growing files
    String seen = listing.display() + '\n' + rule.text();
    DirectoryPass pass = new DirectoryPass(rule, listing, ctx, d.id(), h.id(), taken,
        observations.previous(d.name(), h.name(), seen), observations.record(d.name(), h.name(), seen), actions, clock);
    // pages are decided as they come, so a listing of any size is never held whole
    listAll(mover, spec, listing, limit, pass::page);
    return pass.finish(); // only a complete listing becomes the previous one (stability)
  }

  /** The listing's pages, in order, to {@code sink}, through the mover; its failure as it is, or a timeout. */
  private void listAll(String mover, HostSpec spec, DirectoryRule.Listing listing, Duration limit,
      java.util.function.Consumer<List<RemoteFile>> sink) throws Exception {
    try {
      listings.list(mover, spec, listing.path(), PAGE, page -> sink.accept(files(page)))
          .get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("listing " + listing.display() + " took longer than " + limit);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The online movers in turn, so that the runs of many hosts spread over them. */
  private String pickMover() {
    List<Long> online = new ArrayList<>(movers.onlineCapacities().keySet());
    if (online.isEmpty()) {
      throw new org.ecpds.master.service.ServiceUnavailableException("no mover is online to list the remote directories");
    }
    online.sort(null);
    long id = online.get(Math.floorMod(nextMover.getAndIncrement(), online.size()));
    return movers.name(id).orElseThrow(() -> new IllegalStateException("mover " + id + " went offline"));
  }

  private static Duration maximumDuration(Host h) {
    String v = h.options().get("acquisition.maximumDuration");
    if (v == null || v.isBlank()) return DEFAULT_MAXIMUM_DURATION;
    return org.ecpds.master.rules.DurationText.parse(v);
  }

  private static List<RemoteFile> files(List<RemoteEntry> page) {
    List<RemoteFile> out = new ArrayList<>(page.size());
    for (RemoteEntry e : page) {
      out.add(new RemoteFile(e.getName(), e.getSize(), e.getModifiedMillis(), e.getDirectory(), e.getSymlink()));
    }
    return out;
  }

  /** Registration through the retrieval service; action=delete through the mover. */
  private final class Actions implements DirectoryPass.Actions {
    private final Destination destination;
    private final Host host;
    private final String mover;
    private final HostSpec spec;

    Actions(Destination destination, Host host, String mover, HostSpec spec) {
      this.destination = destination;
      this.host = host;
      this.mover = mover;
      this.spec = spec;
    }

    @Override
    public long register(Registration r, boolean force) {
      if (!r.remotePath().equals(r.original())) {
        // the path holds the host's password ($host[passwd]): it must not be stored as the source
        throw new IllegalArgumentException("line " + r.line() + ": a path with $host[passwd] cannot be registered for retrieval");
      }
      return retrieval.register(ACQUISITION, new RetrievalService.PresetRequest(destination.name(),
          host.name() + ":" + r.remotePath(), r.target(), metadata(r.metadata()), r.priority(),
          r.lifetime().toMillis() + "ms", null, null, r.standby(), null, force, r.groupBy(), r.noRetrieval(),
          r.deleteOriginal(), r.size())).dataFileId();
    }

    @Override
    public void delete(Registration r) throws Exception {
      listings.deleteRemote(mover, spec, r.remotePath()).get(1, TimeUnit.MINUTES);
    }
  }

  /** The rule's {@code metadata} option: {@code key=value} pairs separated by commas. */
  static Map<String, String> metadata(String text) {
    if (text == null || text.isBlank()) return null;
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("metadata must be key=value pairs separated by commas: " + text);
      m.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return m;
  }

  /** One ACQ line per listed directory (OpenECPDS's Directory Listings), or per failed run. */
  private static void event(AcquisitionScheduler.Target t, String directory, DirectoryPass.Counts c, Exception failure) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("DestinationName", t.destination());
    f.put("HostName", t.host());
    if (directory != null) f.put("Directory", directory);
    f.put("Status", failure == null);
    if (c != null) {
      f.put("Listed", c.listed());
      f.put("Registered", c.registered());
      f.put("Requeued", c.requeued());
      f.put("Deleted", c.deleted());
      f.put("Failed", c.failed());
    }
    if (failure != null) f.put("Message", failure.toString());
    EventLog.write("ACQ", f);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
