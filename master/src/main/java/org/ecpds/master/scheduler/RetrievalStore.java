package org.ecpds.master.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.Json;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.RetrievalService;
import org.ecpds.master.service.TransferStore;
import org.jdbi.v3.core.Handle;

/**
 * The retrieval scheduler's database work: each step of a fetch changes the data file's fetch state
 * and moves its transfers (through the {@link TransferStore}, with their history rows) in one
 * transaction. Called from the retrieval scheduler's thread only, never while a fetch holds it.
 */
public final class RetrievalStore {
  static final String USER = "retrieval";

  private final Database db;
  private final TransferStore transfers;
  private final DestinationService destinations;

  public RetrievalStore(Database db, TransferStore transfers, DestinationService destinations) {
    this.db = db;
    this.transfers = transfers;
    this.destinations = destinations;
  }

  /** Transfers released to dissemination, with the facts of their file (the arrival event's data). */
  record Released(List<DataTransfer> transfers, FileFacts file) {}

  /**
   * Start-up: fetches the last master left running go back to Preset (their mover's answer went
   * with it), then every Preset file is returned for scheduling.
   */
  List<PresetFile> load() {
    db.jdbi().useTransaction(h -> {
      for (long id : h.createQuery("SELECT id FROM data_file WHERE fetch_status = :s").bind("s", RetrievalService.FETCHING)
          .mapTo(Long.class).list()) {
        preset(h, id, "master restarted during the fetch", false, 0);
      }
    });
    return db.jdbi().withHandle(h -> presetFiles(h, "f.fetch_status = :v", RetrievalService.PRESET));
  }

  /** Preset files matching {@code where} (its one parameter, {@code :v}, bound to {@code value}) with what a fetch needs. */
  private static List<PresetFile> presetFiles(Handle h, String where, Object value) {
    return h.createQuery("SELECT f.id, f.destination_id, d.name, f.target, "
        + "f.source_host_id, f.source, f.size, f.priority, f.group_by, f.delete_original, f.fetch_attempts, f.fetch_due_ms "
        + "FROM data_file f JOIN destination d ON d.id = f.destination_id WHERE " + where
        + " AND f.source_host_id IS NOT NULL").bind("v", value)
        .map((rs, ctx) -> new PresetFile(rs.getLong("id"), rs.getLong("destination_id"), rs.getString("name"),
            rs.getString("target"), rs.getLong("source_host_id"),
            rs.getString("source"), rs.getLong("size"), rs.getInt("priority"), rs.getString("group_by"),
            rs.getBoolean("delete_original"), rs.getInt("fetch_attempts"), rs.getLong("fetch_due_ms"))).list();
  }

  /**
   * Preset -> Fetching for several files (id -> history comment) in one transaction; the ids started
   * (not a file that is no longer Preset: purged, or all its transfers stopped).
   */
  java.util.Set<Long> startFetches(Map<Long, String> comments) {
    return db.jdbi().inTransaction(h -> {
      java.util.Set<Long> started = new java.util.HashSet<>();
      for (Map.Entry<Long, String> c : comments.entrySet()) {
        long fileId = c.getKey();
        if (!lockFetchStatus(h, fileId).equals(RetrievalService.PRESET)) continue;
        if (move(h, fileId, TransferStatus.SCHE, t -> TransferStatus.FETC, c.getValue(), "").isEmpty()) continue;
        setFetchStatus(h, fileId, RetrievalService.FETCHING);
        started.add(fileId);
      }
      return started;
    });
  }

  /** A fetch's stored content, as the mover reported it. */
  record Fetched(long fileId, long moverId, long size, String sha256, String volume, long durationMs, String message) {}

  /** Several fetched files in one transaction (a group is released with its last member); see below. */
  List<Released> fetchedAll(List<Fetched> files, long now) {
    return db.jdbi().inTransaction(h -> {
      List<Released> out = new ArrayList<>();
      for (Fetched f : files) {
        out.addAll(fetched(h, f.fileId(), f.moverId(), f.size(), f.sha256(), f.volume(), f.durationMs(), f.message(), now));
      }
      return out;
    });
  }

  /**
   * The content is stored: the file is arrived on that mover and Fetched. Without a group its
   * transfers are released now; in a group, once no member is left to fetch, every fetched member's
   * transfers are released together. Released transfers go to Queued or StandBy
   * ({@link TransferLifecycle#initialStatus}).
   */
  private List<Released> fetched(Handle h, long fileId, long moverId, long size, String sha256, String volume,
      long durationMs, String message, long now) {
    if (!lockFetchStatus(h, fileId).equals(RetrievalService.FETCHING)) return List.<Released>of();
    h.createUpdate("UPDATE data_file SET arrived = TRUE, arrived_ms = :now, mover_id = :m, size = :size, "
        + "sha256 = :sha, volume = :vol, fetch_status = :s, fetch_ms = :ms, fetch_message = :msg WHERE id = :id")
        .bind("now", now).bind("m", moverId).bind("size", size).bind("sha", sha256)
        .bind("vol", db.limits().check("volume", volume, "data_file", "volume")).bind("s", RetrievalService.FETCHED)
        .bind("ms", durationMs).bind("msg", truncate(message)).bind("id", fileId).execute();
    String group = h.createQuery("SELECT group_by FROM data_file WHERE id = :id").bind("id", fileId)
        .mapTo(String.class).one();
    if (group.isEmpty()) return List.of(release(h, fileId, "fetched"));
    boolean open = h.createQuery("SELECT id FROM data_file WHERE group_by = :g AND fetch_status IN (<open>) LIMIT 1")
        .bind("g", group).bindList("open", List.of(RetrievalService.PRESET, RetrievalService.FETCHING,
            RetrievalService.FAILED)).mapTo(Long.class).findOne().isPresent();
    if (open) return List.<Released>of();
    List<Released> out = new ArrayList<>();
    for (long id : h.createQuery("SELECT DISTINCT f.id FROM data_file f JOIN data_transfer t ON t.data_file_id = f.id "
        + "WHERE f.group_by = :g AND f.fetch_status = :done AND t.status = :fetc ORDER BY f.id").bind("g", group)
        .bind("done", RetrievalService.FETCHED).bind("fetc", TransferStatus.FETC.name()).mapTo(Long.class).list()) {
      out.add(release(h, id, "group " + group + " fetched"));
    }
    return out;
  }

  /** What an operator's requeue did to a transfer whose file was registered by its source. */
  record Requeued(DataTransfer transfer, PresetFile toSchedule) {}

  /**
   * An operator's requeue of a transfer whose file has no content: back to Preset, and the file too
   * when its fetch had failed (attempts start again; {@code toSchedule} is then the file to fetch).
   * Null when the file's content is stored (dissemination's requeue applies). A file being fetched,
   * or registered with noretrieval, cannot be requeued; neither can a pushed file that never arrived.
   */
  Requeued requeueUnfetched(long transferId, String comment, String user, long now) {
    return db.jdbi().inTransaction(h -> {
      DataTransfer t = h.attach(TransferDao.class).byId(transferId)
          .orElseThrow(() -> new NotFoundException("transfer " + transferId + " not found"));
      Map<String, Object> f = h.createQuery("SELECT arrived, fetch_status FROM data_file WHERE id = :id FOR UPDATE")
          .bind("id", t.dataFileId()).mapToMap().findOne()
          .orElseThrow(() -> new NotFoundException("data file " + t.dataFileId() + " not found"));
      if (flag(f.get("arrived"))) return null;
      String fetch = String.valueOf(f.get("fetch_status")).trim();
      switch (fetch) {
        case "" -> throw new ConflictException("transfer " + transferId + ": its data file " + t.dataFileId()
            + " never arrived and has no source to fetch it from");
        case RetrievalService.NO_RETRIEVAL -> throw new ConflictException("transfer " + transferId
            + ": its data file was registered with noretrieval; there is nothing to fetch");
        case RetrievalService.FETCHING -> throw new ConflictException("transfer " + transferId
            + ": its data file is being fetched; requeue it once the fetch has ended");
        default -> { }
      }
      DataTransfer next = transfers.apply(h, transferId, new TransferStore.Change(t.statusCode(), TransferStatus.SCHE,
          x -> x.withMessage(""), comment, user));
      if (!fetch.equals(RetrievalService.FAILED)) return new Requeued(next, null); // still Preset: already scheduled
      h.createUpdate("UPDATE data_file SET fetch_status = :s, fetch_attempts = 0, fetch_due_ms = :now, fetch_message = :m "
          + "WHERE id = :id").bind("s", RetrievalService.PRESET).bind("now", now).bind("m", truncate(comment))
          .bind("id", t.dataFileId()).execute();
      return new Requeued(next, presetFiles(h, "f.id = :v", t.dataFileId()).get(0));
    });
  }

  /** A failed attempt to be tried again at {@code dueMs}: Fetching -> Preset. */
  void retryLater(long fileId, String why, long dueMs) {
    db.jdbi().useTransaction(h -> preset(h, fileId, why, true, dueMs));
  }

  /** The mover went away during the fetch: Fetching -> Preset, not counted as a failure. */
  void interrupted(long fileId, String why, long now) {
    db.jdbi().useTransaction(h -> preset(h, fileId, why, false, now));
  }

  /** The last allowed attempt failed: Fetching -> Failed, for the file and its transfers. */
  void gaveUp(long fileId, String why) {
    db.jdbi().useTransaction(h -> {
      if (!lockFetchStatus(h, fileId).equals(RetrievalService.FETCHING)) return;
      move(h, fileId, TransferStatus.FETC, t -> TransferStatus.FAIL, why, why);
      h.createUpdate("UPDATE data_file SET fetch_status = :s, fetch_attempts = fetch_attempts + 1, fetch_message = :m "
          + "WHERE id = :id").bind("s", RetrievalService.FAILED).bind("m", truncate(why)).bind("id", fileId).execute();
    });
  }

  private void preset(Handle h, long fileId, String why, boolean failure, long dueMs) {
    if (!lockFetchStatus(h, fileId).equals(RetrievalService.FETCHING)) return;
    move(h, fileId, TransferStatus.FETC, t -> TransferStatus.SCHE, why, why);
    h.createUpdate("UPDATE data_file SET fetch_status = :s, fetch_attempts = fetch_attempts + :inc, fetch_due_ms = :due, "
        + "fetch_message = :m WHERE id = :id").bind("s", RetrievalService.PRESET).bind("inc", failure ? 1 : 0)
        .bind("due", dueMs).bind("m", truncate(why)).bind("id", fileId).execute();
  }

  private Released release(Handle h, long fileId, String comment) {
    Map<String, Object> f = h.createQuery("SELECT mover_id, size, sha256, source, target, metadata_json, arrived_ms, "
        + "standby FROM data_file WHERE id = :id").bind("id", fileId).mapToMap().one();
    boolean standby = flag(f.get("standby"));
    List<DataTransfer> released = move(h, fileId, TransferStatus.FETC,
        t -> TransferLifecycle.initialStatus(standby, destinations.hasDisseminationHosts(t.destinationId())), comment, "");
    FileFacts facts = new FileFacts(fileId, ((Number) f.get("mover_id")).longValue(), ((Number) f.get("size")).longValue(),
        (String) f.get("sha256"), (String) f.get("source"), (String) f.get("target"),
        Json.read((String) f.get("metadata_json")), ((Number) f.get("arrived_ms")).longValue());
    return new Released(released, facts);
  }

  /**
   * Moves every transfer of the file that is in {@code from} (the others, stopped by an operator,
   * stay), with {@code message} as the transfer's message (the last fetch error, or cleared).
   */
  private List<DataTransfer> move(Handle h, long fileId, TransferStatus from,
      java.util.function.Function<DataTransfer, TransferStatus> to, String comment, String message) {
    List<DataTransfer> out = new ArrayList<>();
    for (DataTransfer t : h.attach(TransferDao.class).byDataFile(fileId)) {
      if (t.statusCode() != from) continue;
      out.add(transfers.apply(h, t.id(), new TransferStore.Change(from, to.apply(t), x -> x.withMessage(message),
          comment, USER)));
    }
    return out;
  }

  private static String lockFetchStatus(Handle h, long fileId) {
    return h.createQuery("SELECT fetch_status FROM data_file WHERE id = :id FOR UPDATE").bind("id", fileId)
        .mapTo(String.class).findOne().map(String::trim).orElse("");
  }

  private static void setFetchStatus(Handle h, long fileId, String status) {
    h.createUpdate("UPDATE data_file SET fetch_status = :s WHERE id = :id").bind("s", status).bind("id", fileId).execute();
  }

  /** A BOOLEAN column read through mapToMap (H2 gives a Boolean, MariaDB a TINYINT). */
  private static boolean flag(Object column) {
    return Boolean.TRUE.equals(column) || Integer.valueOf(1).equals(column);
  }

  private static String truncate(String s) {
    return s == null ? "" : s.length() <= 1000 ? s : s.substring(0, 1000);
  }
}
