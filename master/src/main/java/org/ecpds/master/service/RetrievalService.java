package org.ecpds.master.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.ecpds.master.db.DataFileDao;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.HostDao;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.HostAssociation;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.scheduler.PresetFile;
import org.ecpds.master.service.UserService.Principal;
import org.jdbi.v3.core.Handle;

/**
 * Registration of data files by their source location (Preset: OpenECPDS's async push, REST
 * datafile/put and acquisition) and the state of a group. The file and its transfers (destination
 * and aliases, INIT -> SCHE with their history rows) are one transaction; the Data Retrieval
 * Scheduler hears of it once it is committed.
 */
public final class RetrievalService {
  /** Fetch states of a data file (data_file.fetch_status); '' for a pushed file. */
  public static final String PRESET = "SCHE";
  public static final String FETCHING = "FETC";
  public static final String FETCHED = "DONE";
  public static final String FAILED = "FAIL";
  public static final String NO_RETRIEVAL = "NONE";

  private final Database db;
  private final DataFileService dataFiles;
  private final DestinationService destinations;
  private final UserService users;
  private final TransferStore store;
  private final java.time.Clock clock;
  private volatile Consumer<PresetFile> scheduler = p -> { };

  public RetrievalService(Database db, DataFileService dataFiles, DestinationService destinations, UserService users,
      TransferStore store, java.time.Clock clock) {
    this.db = db;
    this.users = users;
    this.dataFiles = dataFiles;
    this.destinations = destinations;
    this.store = store;
    this.clock = clock;
  }

  /** Who hears of a committed Preset file (the retrieval scheduler). */
  public void onPreset(Consumer<PresetFile> listener) {
    scheduler = listener;
  }

  /**
   * A file to fetch. {@code source} is "host:path" (a host of type source or acquisition) or a path on
   * the destination's Source host; {@code force} registers it again even if the same source is already
   * registered for the same target and not expired; {@code noRetrieval} keeps only its metadata (never
   * fetched). The other fields are the push's ({@link DataFileService.Registration}).
   */
  public record PresetRequest(String destination, String source, String target, Map<String, String> metadata,
      Integer priority, String lifetime, Long at, String delay, Boolean standby, Boolean asap, Boolean force,
      String groupBy, Boolean noRetrieval, Boolean deleteOriginal, Long size, Boolean event) {

    /** Without the notification flag (event). */
    public PresetRequest(String destination, String source, String target, Map<String, String> metadata,
        Integer priority, String lifetime, Long at, String delay, Boolean standby, Boolean asap, Boolean force,
        String groupBy, Boolean noRetrieval, Boolean deleteOriginal, Long size) {
      this(destination, source, target, metadata, priority, lifetime, at, delay, standby, asap, force, groupBy,
          noRetrieval, deleteOriginal, size, null);
    }
  }

  /** The registered (or, without force, the already registered) data file. */
  public record Registered(long dataFileId, boolean duplicate) {}

  /**
   * Registers a Preset data file. This is also the acquisition's entry point for a listed file:
   * {@code register(Principal.admin("acquisition"), new PresetRequest(destination, host + ":" + path,
   * target, metadata, priority, lifetime, null, null, standby, null, false, groupBy, false,
   * deleteOriginal, size))}.
   */
  public Registered register(Principal who, PresetRequest r) {
    return registerAll(who, List.of(r)).get(0);
  }

  /** Most files one {@link #registerAll} call takes (one transaction: a bounded commit). */
  public static final int MAX_BATCH = 1_000;

  /**
   * Registers several files in one transaction, all or none (REST datafile/put/batch, the CLI's
   * -index). Each is checked as {@link #register} checks one; a refusal names the file's index.
   */
  public List<Registered> registerAll(Principal who, List<PresetRequest> requests) {
    if (requests.isEmpty()) throw new IllegalArgumentException("files: at least one file is required");
    if (requests.size() > MAX_BATCH) {
      throw new IllegalArgumentException("files: at most " + MAX_BATCH + " per call, not " + requests.size());
    }
    List<Prepared> batch = new ArrayList<>(requests.size());
    Lookups lookups = new Lookups();
    for (int i = 0; i < requests.size(); i++) {
      try {
        batch.add(prepare(who, requests.get(i), lookups, requests.size() == 1));
      } catch (IllegalArgumentException e) {
        // only the plain kind is re-worded: subclasses carry their own HTTP status
        if (requests.size() == 1 || e.getClass() != IllegalArgumentException.class) throw e;
        throw new IllegalArgumentException("files[" + i + "]: " + e.getMessage(), e);
      }
    }
    checkPending(batch);
    long now = clock.millis();
    List<Registered> done = db.jdbi().inTransaction(h -> {
      List<Registered> out = new ArrayList<>(batch.size());
      PlanningReads reads = dataFiles.reads(h);
      Presets presets = new Presets();
      // one SQL object of each per transaction: attaching one per file was 38 % of a registration's time
      Daos daos = new Daos(h.attach(DataFileDao.class), h.attach(TransferDao.class));
      for (Prepared p : batch) out.add(insert(h, daos, p, reads, now, presets));
      presets.commit(h);
      return out;
    });
    for (int i = 0; i < batch.size(); i++) {
      Prepared p = batch.get(i);
      if (done.get(i).duplicate() || p.noRetrieval()) continue;
      scheduler.accept(new PresetFile(done.get(i).dataFileId(), p.home().id(), p.home().name(), p.file().target(),
          p.src().host().id(), p.file().source(), p.file().size(), p.file().priority(), p.group(),
          Boolean.TRUE.equals(p.request().deleteOriginal()), 0, now));
    }
    return done;
  }

  /** A request checked and turned into its data file, not yet stored. */
  private record Prepared(PresetRequest request, Destination home, Source src, String group, boolean noRetrieval,
      DataFile file) {}

  /** Destinations and named source hosts looked up once per batch. */
  private static final class Lookups {
    final Map<String, Destination> destinations = new HashMap<>();
    final Map<String, Optional<Host>> hosts = new HashMap<>();
  }

  private Prepared prepare(Principal who, PresetRequest r, Lookups lookups, boolean checkPending) {
    if (r.destination() == null || r.destination().isBlank()) throw new IllegalArgumentException("destination is required");
    if (r.source() == null || r.source().isBlank()) throw new IllegalArgumentException("source is required");
    users.requirePut(who, r.destination()); // before the lookup: no one learns which destinations exist
    Destination d = lookups.destinations.computeIfAbsent(r.destination(), destinations::get);
    Source src = source(d, r.source(), lookups);
    String group = r.groupBy() == null ? "" : r.groupBy().trim();
    db.limits().check("groupby", group, "data_file", "group_by");
    boolean noRetrieval = Boolean.TRUE.equals(r.noRetrieval());
    if (noRetrieval && group.isEmpty()) throw new IllegalArgumentException("noretrieval is only allowed with groupby");
    DataFile f = dataFiles.prepare(who, d, new DataFileService.Registration(r.destination(), src.path(), r.target(),
        r.priority(), r.lifetime(), r.metadata(), r.size(), r.standby(), r.asap(), r.delay(), r.at()), () -> null,
        checkPending);
    return new Prepared(r, d, src, group, noRetrieval, f);
  }

  /** Max Pending over the whole batch (each file alone was checked against what is already pending). */
  private void checkPending(List<Prepared> batch) {
    if (batch.size() == 1) return;
    Map<Long, Integer> perDestination = new HashMap<>();
    for (Prepared p : batch) perDestination.merge(p.home().id(), 1, Integer::sum);
    for (Prepared p : batch) {
      Destination d = p.home();
      Integer n = perDestination.remove(d.id());
      if (n == null || d.maxPending() <= 0) continue;
      long pending = db.jdbi().withExtension(TransferDao.class, dao -> dao.count(d.id(), TransferLifecycle.pendingCodes()));
      if (pending + n > d.maxPending()) {
        throw new org.ecpds.master.domain.LimitExceeded.TooManyPending("destination " + d.name() + " has " + pending
            + " pending transfers; " + n + " more would exceed its Max Pending of " + d.maxPending());
      }
    }
  }

  /** The duplicate check of a registration (run for every file registered; index ix_df_dest_target). */
  static final String SAME_SOURCE = "SELECT id FROM data_file WHERE destination_id = :d AND target = :t "
      + "AND source = :s AND source_host_id = :h AND fetch_status <> '' AND expiry_ms > :now ORDER BY id LIMIT 1";

  /**
   * What the files of one registration still need once each file and its transfers are inserted: the
   * transfers' first history rows and their move from Arriving to Preset, each as one batch for the
   * whole call (per-file statements were most of a registration's time).
   */
  private final class Presets {
    private final List<TransferStore.Created> created = new ArrayList<>();
    /** The new files, in order, with who registered them. */
    private final Map<Long, String> callers = new LinkedHashMap<>();

    void file(long id, Prepared p) {
      callers.put(id, p.file().caller());
    }

    void transfer(long transferId, String comment, String caller) {
      created.add(new TransferStore.Created(transferId, TransferStatus.INIT, comment, caller));
    }

    /** Arriving (INIT) -> Preset (SCHE) through the lifecycle, with both history rows, in the caller's transaction. */
    void commit(Handle h) {
      if (callers.isEmpty()) return;
      List<Long> files = new ArrayList<>(callers.keySet());
      store.recordCreatedAll(h, created);
      List<TransferStore.Write> writes = new ArrayList<>(created.size());
      for (int i = 0; i < files.size(); i += 1000) {
        for (DataTransfer t : TransferDao.byDataFiles(h, files.subList(i, Math.min(files.size(), i + 1000)))) {
          if (t.statusCode() != TransferStatus.INIT) continue;
          writes.add(new TransferStore.Write(t.withStatus(TransferStatus.SCHE, callers.get(t.dataFileId())),
              TransferStatus.INIT, "preset: to be fetched from its source", callers.get(t.dataFileId())));
        }
      }
      if (!store.applyAll(h, writes).isEmpty()) {
        throw new IllegalStateException("a new transfer changed status inside its own registration");
      }
    }
  }

  /** Stores one prepared file and its transfers in the caller's transaction (or finds it already there). */
  private record Daos(DataFileDao files, TransferDao transfers) {}

  private Registered insert(Handle h, Daos daos, Prepared p, PlanningReads reads, long now, Presets presets) {
    PresetRequest r = p.request();
    DataFile f = p.file();
    Destination d = p.home();
    if (!Boolean.TRUE.equals(r.force())) {
      Optional<Long> existing = h.createQuery(SAME_SOURCE).bind("d", d.id()).bind("t", f.target())
          .bind("s", f.source()).bind("h", p.src().host().id()).bind("now", now).mapTo(Long.class).findOne();
      if (existing.isPresent()) return new Registered(existing.get(), true);
    }
    boolean event = Boolean.TRUE.equals(r.event());
    long id = daos.files().insertPreset(f, event, "", p.src().host().id(),
        p.noRetrieval() ? NO_RETRIEVAL : PRESET, p.group(), Boolean.TRUE.equals(r.deleteOriginal()), now);
    presets.file(id, p);
    DataFile inserted = new DataFile(id, f.destinationId(), f.source(), f.target(), f.size(), f.sha256(), false, 0,
        null, "", f.metadataJson(), f.priority(), f.standby(), f.caller(), f.createdMs(), f.expiryMs(), f.scheduledMs(),
        f.asap());
    TransferDao transfers = daos.transfers();
    for (DataFileService.Planned planned : dataFiles.plan(reads, inserted, d, now)) {
      long tid = transfers.insert(id, planned.destination().id(), planned.target(), TransferStatus.INIT.name(),
          planned.priority(), planned.queueMs(), planned.expiryMs(), planned.asap());
      presets.transfer(tid, planned.alias() ? "alias of " + planned.via() : "registered by " + f.caller(), f.caller());
      DataFileService.flagForEvents(h, tid, planned, event);
    }
    return new Registered(id, false);
  }

  private record Source(Host host, String path) {}

  /** "host:path" names a source or acquisition host; anything else is a path on the destination's Source host. */
  private Source source(Destination d, String source, Lookups lookups) {
    int colon = source.indexOf(':');
    if (colon > 0) {
      Optional<Host> named = lookups.hosts.computeIfAbsent(source.substring(0, colon),
          name -> db.jdbi().withExtension(HostDao.class, dao -> dao.byName(name)));
      if (named.isPresent()) {
        Host h = named.get();
        if (!Host.SOURCE.equals(h.type()) && !Host.ACQUISITION.equals(h.type())) {
          throw new IllegalArgumentException("source: host " + h.name() + " is a " + h.type()
              + " host; a source must be a host of type source or acquisition");
        }
        String path = source.substring(colon + 1);
        if (path.isBlank()) throw new IllegalArgumentException("source: the path after '" + h.name() + ":' is empty");
        return new Source(h, path);
      }
    }
    Host h = destinations.hosts(d.id()).stream().map(HostAssociation::host)
        .filter(x -> Host.SOURCE.equals(x.type())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("source: '" + source + "' names no host (host:path) and "
            + "destination " + d.name() + " has no Source host"));
    return new Source(h, source);
  }

  /** A group's state: data files per fetch state and transfers per status. */
  public record GroupStatus(String group, long files, Map<String, Long> fetch, Map<String, Long> transfers) {
    /** Every member that is to be fetched is fetched. */
    public boolean complete() {
      return files > 0 && fetch.getOrDefault(PRESET, 0L) + fetch.getOrDefault(FETCHING, 0L)
          + fetch.getOrDefault(FAILED, 0L) == 0;
    }

    /** A member gave up: the group cannot complete without an operator. */
    public boolean failed() {
      return fetch.getOrDefault(FAILED, 0L) > 0;
    }
  }

  /** The group's state, counting only destinations the caller may read. */
  public GroupStatus group(Principal who, String group) {
    if (group == null || group.isBlank()) throw new IllegalArgumentException("group name is required");
    return db.jdbi().withHandle(h -> {
      Map<String, Long> fetch = new LinkedHashMap<>();
      long files = 0;
      for (Map<String, Object> row : h.createQuery("SELECT f.destination_id AS d, f.fetch_status AS s, COUNT(*) AS n "
          + "FROM data_file f WHERE f.group_by = :g GROUP BY f.destination_id, f.fetch_status").bind("g", group)
          .mapToMap().list()) {
        if (!readable(who, ((Number) row.get("d")).longValue())) continue;
        long n = ((Number) row.get("n")).longValue();
        fetch.merge(String.valueOf(row.get("s")).trim(), n, Long::sum);
        files += n;
      }
      Map<String, Long> transfers = new LinkedHashMap<>();
      for (Map<String, Object> row : h.createQuery("SELECT t.destination_id AS d, t.status AS s, COUNT(*) AS n "
          + "FROM data_transfer t JOIN data_file f ON f.id = t.data_file_id WHERE f.group_by = :g "
          + "GROUP BY t.destination_id, t.status").bind("g", group).mapToMap().list()) {
        if (!readable(who, ((Number) row.get("d")).longValue())) continue;
        transfers.merge(String.valueOf(row.get("s")).trim(), ((Number) row.get("n")).longValue(), Long::sum);
      }
      return new GroupStatus(group, files, fetch, transfers);
    });
  }

  private boolean readable(Principal who, long destinationId) {
    if (who.admin()) return true;
    try {
      users.requireGet(who, destinations.get(destinationId).name());
      return true;
    } catch (org.ecpds.master.domain.ForbiddenException | org.ecpds.master.domain.NotFoundException e) {
      return false;
    }
  }
}
