package org.ecpds.master.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.config.Durations;
import org.ecpds.master.db.DataFileDao;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.Json;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.rules.AliasOverride;
import org.ecpds.master.scheduler.FileFacts;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.notify.Outbox;
import org.ecpds.master.service.UserService.Principal;

/**
 * Data file registration (the CLI's sync push) and arrival: a file is registered, its content is
 * uploaded to the allocated mover, and only when the mover reports it durably stored are its
 * transfers created, for the destination and every alias, in one transaction.
 */
public final class DataFileService {
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(2);
  public static final Duration UPLOAD_WINDOW = Duration.ofHours(1);

  private final Database db;
  private final DestinationService destinations;
  private final UserService users;
  private final MoverRegistry movers;
  private final UploadTokens tokens;
  private final TransferStore store;

  private final java.time.Clock clock;

  public DataFileService(Database db, DestinationService destinations, UserService users, MoverRegistry movers,
      UploadTokens tokens, TransferStore store, java.time.Clock clock) {
    this.db = db;
    this.destinations = destinations;
    this.users = users;
    this.movers = movers;
    this.tokens = tokens;
    this.store = store;
    this.clock = clock;
  }

  /**
   * A push: destination, source/target, priority (0-99), lifetime, metadata, size when known,
   * standby, and when to send: asap, a delay and/or a time ("at", epoch milliseconds); event flags its
   * transfers for notifications (docs/notifications.md).
   */
  public record Registration(String destination, String source, String target, Integer priority, String lifetime,
      Map<String, String> metadata, Long size, Boolean standby, Boolean asap, String delay, Long at, Boolean event) {

    public Registration(String destination, String source, String target, Integer priority, String lifetime,
        Map<String, String> metadata, Long size, Boolean standby, Boolean asap, String delay, Long at) {
      this(destination, source, target, priority, lifetime, metadata, size, standby, asap, delay, at, null);
    }

    public Registration(String destination, String source, String target, Integer priority, String lifetime,
        Map<String, String> metadata, Long size, Boolean standby) {
      this(destination, source, target, priority, lifetime, metadata, size, standby, null, null, null, null);
    }
  }

  public record Allocation(long dataFileId, String moverName, String uploadUrl, String token, String uploadCertPem,
      long expiresMs) {}

  /**
   * What a stored report produced: the new transfers (as committed) and the file's facts; a
   * repeated report of a file that already arrived from the same mover produced nothing.
   */
  public record Arrival(List<DataTransfer> transfers, FileFacts file, String portalProtocol, boolean repeat) {
    public List<Long> transferIds() {
      return transfers.stream().map(DataTransfer::id).toList();
    }
  }

  private static final Duration MAX_LIFETIME = Duration.ofDays(3650);
  private static final long MAX_LIFETIME_MS = MAX_LIFETIME.toMillis();
  private static final Duration MAX_DELAY = Duration.ofDays(366);

  public Allocation register(Principal who, Registration r) {
    MoverRegistry.Target[] picked = {null};
    long id = insert(who, r, () -> {
      picked[0] = movers.pickForUpload()
          .orElseThrow(() -> new ServiceUnavailableException("no data mover is online to receive the file"));
      return picked[0].moverId();
    }, "");
    MoverRegistry.Target mover = picked[0];
    long expires = clock.millis() + UPLOAD_WINDOW.toMillis();
    return new Allocation(id, mover.name(), mover.uploadUrl() + "/upload/" + id, tokens.issue(id, expires),
        mover.certificatePem(), expires);
  }

  /**
   * A portal upload: the same registration as a push, allocated to the mover whose portal received
   * it (that mover stores the content itself and reports it Stored, so no upload token is issued).
   * The caller has checked the portal rights; this still checks the put flag and every limit.
   */
  public long registerPortalUpload(Principal who, Registration r, long moverId, String protocol) {
    return insert(who, r, () -> moverId, protocol == null || protocol.isBlank() ? "portal" : protocol);
  }

  /**
   * Checks a registration (put permission, target, priority, lifetime, delay, at, Max File Size, Max
   * Pending) and builds its data file row, not yet inserted. {@code moverFor} is asked last, once
   * everything else is valid; it may answer null (a Preset file gets its mover when it is fetched).
   */
  DataFile prepare(Principal who, Registration r, java.util.function.Supplier<Long> moverFor) {
    if (r.destination() == null || r.destination().isBlank()) throw new IllegalArgumentException("destination is required");
    users.requirePut(who, r.destination());
    return prepare(who, destinations.get(r.destination()), r, moverFor, true);
  }

  /**
   * {@link #prepare(Principal, Registration, java.util.function.Supplier)} for a destination already
   * looked up and the caller's put permission already checked; {@code checkPending} false when the
   * caller checks Max Pending for a whole batch.
   */
  DataFile prepare(Principal who, Destination d, Registration r, java.util.function.Supplier<Long> moverFor,
      boolean checkPending) {
    String target = checkTarget(r.target() != null && !r.target().isBlank() ? r.target() : baseName(r.source()));
    int priority = r.priority() == null ? 99 : r.priority();
    DestinationService.checkPriority(priority);
    Duration lifetime = r.lifetime() == null || r.lifetime().isBlank() ? DEFAULT_LIFETIME : duration("lifetime", r.lifetime());
    // compared as Durations: a huge value (106751991167d) must be refused, not overflow into the past
    if (lifetime.isZero() || lifetime.isNegative() || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("lifetime must be between 1ms and 3650d");
    }
    if (r.size() != null && r.size() < 0) throw new IllegalArgumentException("size must be >= 0");
    db.limits().check("source", r.source(), "data_file", "source");
    db.limits().check("target", target, "data_file", "target");
    db.limits().check("metadata", Json.write(r.metadata()), "data_file", "metadata_json");
    if (r.size() != null && d.maxFileSize() > 0 && r.size() > d.maxFileSize()) {
      throw new org.ecpds.master.domain.LimitExceeded.TooLarge("file of " + r.size() + " bytes is larger than the Max File Size of "
          + d.name() + " (" + d.maxFileSize() + " bytes)");
    }
    if (checkPending && d.maxPending() > 0) {
      long pending = db.jdbi().withExtension(TransferDao.class, dao -> dao.count(d.id(), TransferLifecycle.pendingCodes()));
      if (pending >= d.maxPending()) {
        throw new org.ecpds.master.domain.LimitExceeded.TooManyPending("destination " + d.name() + " already has " + pending
            + " pending transfers (Max Pending " + d.maxPending() + ")");
      }
    }
    long now = clock.millis();
    Duration delayed = r.delay() == null || r.delay().isBlank() ? Duration.ZERO : duration("delay", r.delay());
    if (delayed.isNegative() || delayed.compareTo(MAX_DELAY) > 0) {
      throw new IllegalArgumentException("delay must be between 0 and 366d");
    }
    long delay = delayed.toMillis();
    if (r.at() != null && (r.at() < 0 || r.at() > now + MAX_LIFETIME_MS)) {
      throw new IllegalArgumentException("at must be a time within the next 3650 days");
    }
    Map<String, String> metadata = new java.util.LinkedHashMap<>(r.metadata() == null ? Map.of() : r.metadata());
    // scheduledTime = -at or now, plus -delay (the destination's scheduler.delay is added at arrival)
    long scheduled = (r.at() != null ? r.at() : now) + delay;
    Long moverId = moverFor.get();
    DataFile f = new DataFile(0, d.id(), r.source() == null ? target : r.source(), target,
        r.size() == null ? -1 : r.size(), "", false, 0, moverId, "", Json.write(metadata), priority,
        Boolean.TRUE.equals(r.standby()), who.name(), now, now + lifetime.toMillis(), scheduled,
        Boolean.TRUE.equals(r.asap()));
    return f;
  }

  private long insert(Principal who, Registration r, java.util.function.LongSupplier moverFor, String portalProtocol) {
    DataFile f = prepare(who, r, moverFor::getAsLong);
    String protocol = portalProtocol.isEmpty() ? ""
        : db.limits().check("protocol", portalProtocol, "data_file", "portal_protocol");
    // one statement: a crash never leaves a file registered without its flags
    return db.jdbi().withExtension(DataFileDao.class, dao -> dao.insert(f, Boolean.TRUE.equals(r.event()), protocol));
  }

  /** The mover reports the content durably stored: mark arrived and create the transfers atomically. */
  public Arrival stored(long moverId, long dataFileId, long size, String sha256, String volume) {
    long now = clock.millis();
    return db.jdbi().inTransaction(h -> {
      DataFileDao files = h.attach(DataFileDao.class);
      DataFile f = files.byId(dataFileId).orElseThrow(() -> new NotFoundException("data file " + dataFileId + " not found"));
      if (f.arrived()) {
        // the mover re-sends a report whose ack it did not get: same mover and content. Its transfers go
        // back to the scheduler, which ignores those it holds: the first report may have committed and
        // still failed (a connection lost right after the commit), leaving them queued in the database only
        if (f.moverId() != null && f.moverId() == moverId && f.size() == size && f.sha256().equals(sha256)) {
          return new Arrival(h.attach(TransferDao.class).byDataFile(dataFileId), new FileFacts(f.id(), moverId, size,
              sha256, f.source(), f.target(), Json.read(f.metadataJson()), f.arrivedMs()), "", true);
        }
        throw new ConflictException("data file " + dataFileId + " was already stored with other content or by another mover");
      }
      if (f.size() >= 0 && f.size() != size) {
        throw new ConflictException("data file " + dataFileId + " announced " + f.size() + " bytes but " + size + " arrived");
      }
      // the transaction's own handle: no second pooled connection per arrival
      PlanningReads reads = reads(h);
      Destination home = reads.destination(f.destinationId())
          .orElseThrow(() -> new NotFoundException("destination " + f.destinationId() + " not found"));
      if (home.maxFileSize() > 0 && size > home.maxFileSize()) {
        throw new ConflictException("data file " + dataFileId + " has " + size + " bytes, more than the Max File Size of "
            + home.name() + " (" + home.maxFileSize() + ")");
      }
      if (files.markArrived(dataFileId, moverId, size, sha256, volume, now) != 1) {
        throw new ConflictException("data file " + dataFileId + " was already stored or belongs to another mover");
      }
      Map<String, String> metadata = Json.read(f.metadataJson());
      TransferDao transfers = h.attach(TransferDao.class);
      List<DataTransfer> created = new ArrayList<>();
      Flags flags = h.createQuery("SELECT event, portal_protocol FROM data_file WHERE id = :id").bind("id", dataFileId)
          .map((rs, ctx) -> new Flags(rs.getBoolean("event"), rs.getString("portal_protocol"))).one();
      boolean fileEvent = flags.event();
      String portal = flags.portalProtocol();
      for (Planned p : plan(reads, f, home, now)) {
        TransferStatus initial = TransferLifecycle.initialStatus(f.standby(), p.hasHosts());
        long tid = transfers.insert(dataFileId, p.destination().id(), p.target(), initial.name(), p.priority(),
            p.queueMs(), p.expiryMs(), p.asap());
        store.recordCreated(h, tid, initial, p.alias() ? "alias of " + p.via() : "stored by " + f.caller(), f.caller());
        if (flagForEvents(h, tid, p, fileEvent)) {
          // a portal-only destination: the file is now there to download, which is what subscribers wait for
          if (initial == TransferStatus.HOLD && !p.hasHosts()) Outbox.enqueue(h, tid, Outbox.Kind.AVAILABLE, now);
        }
        created.add(transfers.byId(tid).orElseThrow());
      }
      FileFacts facts = new FileFacts(f.id(), moverId, size, sha256, f.source(), f.target(), metadata, now);
      return new Arrival(created, facts, portal, false);
    });
  }

  /**
   * Flags a new transfer for notification (MQTT) when its alias rule says so, else when its data
   * file is flagged: the one rule for pushed, uploaded and Preset files. True when flagged.
   */
  static boolean flagForEvents(org.jdbi.v3.core.Handle h, long transferId, Planned p, boolean fileEvent) {
    if (!(p.event() != null ? p.event() : fileEvent)) return false;
    h.createUpdate("UPDATE data_transfer SET event = TRUE WHERE id = :id").bind("id", transferId).execute();
    return true;
  }

  /** The data file columns an arrival needs that {@link DataFile} does not carry. */
  private record Flags(boolean event, String portalProtocol) {}

  /** One transfer a data file gets: its destination (home or alias) and what the alias rules made of it. */
  record Planned(Destination destination, boolean alias, String via, String target, int priority, long queueMs,
      long expiryMs, boolean asap, boolean hasHosts, Boolean event) {}

  /**
   * The transfers of a data file, for its destination and every alias (with the alias overrides, the
   * destination's scheduler.delay and asap): the one rule for a stored push and a Preset registration.
   */
  List<Planned> plan(org.jdbi.v3.core.Handle h, DataFile f, Destination home, long now) {
    return plan(reads(h), f, home, now);
  }

  /** Reads for planning several files in one transaction ({@link #plan(PlanningReads, DataFile, Destination, long)}). */
  PlanningReads reads(org.jdbi.v3.core.Handle h) {
    return new PlanningReads(h, id -> destinations.hasDisseminationHosts(h, id));
  }

  List<Planned> plan(PlanningReads reads, DataFile f, Destination home, long now) {
    Map<String, String> metadata = Json.read(f.metadataJson());
    List<Planned> out = new ArrayList<>();
    for (AliasRules.Delivery del : AliasRules.deliveries(reads, home, f.target(), metadata, clock.instant())) {
      Destination d = del.destination();
      DestinationOptions opts = DestinationOptions.parse(d.properties());
      AliasOverride o = del.override();
      int priority = o != null && o.priority() != null ? o.priority() : f.priority();
      boolean asap = opts.asap() != null ? opts.asap() : o != null && o.asap() != null ? o.asap() : f.asap();
      long queueMs = f.scheduledMs() + opts.delay().toMillis() + (o != null && o.delay() != null ? o.delay().toMillis() : 0);
      long expiry = o != null && o.lifetime() != null ? Math.max(f.expiryMs(), now + o.lifetime().toMillis()) : f.expiryMs();
      String target = db.limits().check("target of alias " + d.name(),
          o != null && o.target() != null ? o.target() : f.target(), "data_transfer", "target");
      out.add(new Planned(d, d.id() != home.id(), String.valueOf(del.via()), target, priority, Math.max(queueMs, now),
          expiry, asap, reads.hasDisseminationHosts(d.id()), o == null ? null : o.event()));
    }
    return out;
  }

  /**
   * A push whose client stopped waiting for its arrival (the mover's answer was lost): the
   * registration is removed unless the content arrived meanwhile, so it cannot arrive later. True
   * when it had arrived. A report the mover still sends for it is then refused and the content deleted.
   * A Preset registration (fetched by the master, fetch_status set) is never removed this way.
   */
  public boolean withdraw(Principal who, long dataFileId) {
    DataFile f = get(dataFileId);
    users.requirePut(who, destinations.get(f.destinationId()).name());
    int removed = db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM data_file WHERE id = :id AND arrived = FALSE AND fetch_status = ''")
        .bind("id", dataFileId).execute());
    return removed == 0 && get(dataFileId).arrived();
  }

  private volatile java.util.function.Consumer<Arrival> portalArrivals = a -> { };

  /** Who hears that a portal upload arrived (its transfers committed and queued): the portal rules. */
  public void onPortalArrival(java.util.function.Consumer<Arrival> listener) {
    portalArrivals = listener;
  }

  /** Called by the mover link once an arrival is committed and handed to the scheduler. */
  public void arrivalCommitted(Arrival a) {
    if (!a.portalProtocol().isEmpty()) portalArrivals.accept(a);
  }

  /** Newest data files of a destination; metadata "key=value" keeps exact matches. */
  public List<DataFile> search(String destination, String metadata, int limit) {
    long destId = destinations.get(destination).id();
    int max = Math.max(1, Math.min(limit <= 0 ? 1000 : limit, 10_000));
    String like = null;
    if (metadata != null && !metadata.isBlank()) {
      int eq = metadata.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("metadata must look like key=value, got '" + metadata + "'");
      String pair = Json.write(Map.of(metadata.substring(0, eq), metadata.substring(eq + 1)));
      // the stored JSON has one "key":"value" pair per entry, written by the same writer
      like = "%" + pair.substring(1, pair.length() - 1).replace("\\", "\\\\").replace("%", "\\%")
          .replace("_", "\\_") + "%";
    }
    String filter = like;
    return db.jdbi().withHandle(h -> h.createQuery("SELECT " + DataFileDao.COLS + " FROM data_file WHERE destination_id = :d"
        + (filter == null ? "" : " AND metadata_json LIKE :like") + " ORDER BY id DESC LIMIT :max")
        .bind("d", destId).bind("like", filter).bind("max", max)
        .mapTo(DataFile.class).list());
  }

  public DataFile get(long id) {
    return db.jdbi().withExtension(DataFileDao.class, dao -> dao.byId(id))
        .orElseThrow(() -> new NotFoundException("data file " + id + " not found"));
  }

  private static Duration duration(String field, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  static String baseName(String source) {
    if (source == null || source.isBlank()) throw new IllegalArgumentException("source or target is required");
    String s = source.replace('\\', '/');
    return s.substring(s.lastIndexOf('/') + 1);
  }

  /** Targets are relative paths without '..' so that no directory template can be escaped. */
  static String checkTarget(String target) {
    if (target == null || target.isBlank()) throw new IllegalArgumentException("target is required");
    if (target.startsWith("/")) throw new IllegalArgumentException("invalid target '" + target + "'");
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals("..") || part.equals(".")) {
        throw new IllegalArgumentException("invalid target '" + target + "'");
      }
    }
    if (target.chars().anyMatch(c -> c < 32)) throw new IllegalArgumentException("target has control characters");
    return target;
  }
}
