package org.ecpds.master.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
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
import org.jdbi.v3.core.statement.PreparedBatch;

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
   * (not a file that is no longer Preset: purged, or all its transfers stopped). Set-based: a handful
   * of statements for the whole pass, not per file.
   */
  java.util.Set<Long> startFetches(Map<Long, String> comments) {
    if (comments.isEmpty()) return java.util.Set.of();
    return db.jdbi().inTransaction(h -> startFetches(h, comments));
  }

  /** A complete group's fetched members whose transfers wait for the group (index ix_df_fetch_group). */
  static final String GROUP_RELEASE = "SELECT DISTINCT f.id FROM data_file f JOIN data_transfer t ON t.data_file_id = f.id "
      + "WHERE f.group_by = :g AND f.fetch_status = :done AND t.status = :fetc ORDER BY f.id";

  /**
   * What one drain of results committed: the transfers released, the groups whose every member is now
   * fetched, the fetches started.
   */
  record Step(List<Released> released, java.util.Set<String> groupsFetched, java.util.Set<Long> started) {}

  /**
   * {@link #fetchedAll} and {@link #startFetches} in one transaction: the retrieval thread records the
   * results that arrived together and starts the fetches they made room for with one commit, not two
   * (a commit was a third of that thread's time).
   */
  Step fetchedAndStarted(List<Fetched> files, long now, Map<Long, String> comments) {
    return db.jdbi().inTransaction(h -> {
      java.util.Set<String> groups = new java.util.LinkedHashSet<>();
      List<Released> released = files.isEmpty() ? List.of() : fetchedAll(h, files, now, groups);
      return new Step(released, groups, comments.isEmpty() ? java.util.Set.of() : startFetches(h, comments));
    });
  }

  private java.util.Set<Long> startFetches(Handle h, Map<Long, String> comments) {
    List<Long> preset = new ArrayList<>();
    lockFiles(h, comments.keySet()).forEach((id, row) -> {
      if (row.fetchStatus().equals(RetrievalService.PRESET)) preset.add(id);
    });
    List<TransferStore.Write> writes = new ArrayList<>();
    for (DataTransfer t : transfersOf(h, preset)) {
      if (t.statusCode() != TransferStatus.SCHE) continue;
      writes.add(new TransferStore.Write(t.withMessage("").withStatus(TransferStatus.FETC, USER), TransferStatus.SCHE,
          comments.get(t.dataFileId()), USER));
    }
    java.util.Set<Long> started = new java.util.LinkedHashSet<>();
    for (TransferStore.Write w : applied(writes, transfers.applyAll(h, writes))) started.add(w.next().dataFileId());
    for (List<Long> chunk : chunks(started)) {
      h.createUpdate("UPDATE data_file SET fetch_status = :s WHERE id IN (<ids>)").bind("s", RetrievalService.FETCHING)
          .bindList("ids", chunk).execute();
    }
    return started;
  }

  /** A fetch's stored content, as the mover reported it. */
  record Fetched(long fileId, long moverId, long size, String sha256, String volume, long durationMs, String message) {}

  /**
   * Several fetched files in one transaction: each is arrived on its mover and Fetched. Without a group
   * its transfers are released now; in a group, once no member is left to fetch, every fetched member's
   * transfers are released together. Released transfers go to Queued or StandBy
   * ({@link TransferLifecycle#initialStatus}). Set-based, as {@link #startFetches}.
   */
  Step fetchedAll(List<Fetched> files, long now) {
    return fetchedAndStarted(files, now, Map.of());
  }

  /** Adds to {@code groupsFetched} each group of these files that has no member left to fetch. */
  private List<Released> fetchedAll(Handle h, List<Fetched> files, long now, java.util.Set<String> groupsFetched) {
    Map<Long, Locked> locked = lockFiles(h, files.stream().map(Fetched::fileId).toList());
    List<Fetched> fetching = files.stream()
        .filter(f -> locked.containsKey(f.fileId()) && locked.get(f.fileId()).fetchStatus().equals(RetrievalService.FETCHING))
        .toList();
    if (fetching.isEmpty()) return List.<Released>of();
    PreparedBatch arrived = h.prepareBatch("UPDATE data_file SET arrived = TRUE, arrived_ms = :now, mover_id = :m, "
        + "size = :size, sha256 = :sha, volume = :vol, fetch_status = :s, fetch_ms = :ms, fetch_message = :msg WHERE id = :id");
    for (Fetched f : fetching) {
      arrived.bind("now", now).bind("m", f.moverId()).bind("size", f.size()).bind("sha", f.sha256())
          .bind("vol", db.limits().check("volume", f.volume(), "data_file", "volume")).bind("s", RetrievalService.FETCHED)
          .bind("ms", f.durationMs()).bind("msg", truncate(f.message())).bind("id", f.fileId()).add();
    }
    arrived.execute();
    Map<Long, String> comments = new java.util.LinkedHashMap<>();
    java.util.Set<String> groups = new java.util.LinkedHashSet<>();
    for (Fetched f : fetching) {
      String group = locked.get(f.fileId()).group();
      if (group.isEmpty()) comments.put(f.fileId(), "fetched");
      else groups.add(group);
    }
    for (String group : groups) {
      boolean open = h.createQuery("SELECT id FROM data_file WHERE group_by = :g AND fetch_status IN (<open>) LIMIT 1")
          .bind("g", group).bindList("open", List.of(RetrievalService.PRESET, RetrievalService.FETCHING,
              RetrievalService.FAILED)).mapTo(Long.class).findOne().isPresent();
      if (open) continue;
      groupsFetched.add(group);
      for (long id : h.createQuery(GROUP_RELEASE).bind("g", group)
          .bind("done", RetrievalService.FETCHED).bind("fetc", TransferStatus.FETC.name()).mapTo(Long.class).list()) {
        comments.put(id, "group " + group + " fetched");
      }
    }
    return release(h, comments);
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

  /** Releases the files' Fetching transfers (file id -> history comment) to dissemination, in a few statements. */
  private List<Released> release(Handle h, Map<Long, String> comments) {
    if (comments.isEmpty()) return List.of();
    Map<Long, FileFacts> facts = new HashMap<>();
    Map<Long, Boolean> standby = new HashMap<>();
    for (List<Long> chunk : chunks(comments.keySet())) {
      h.createQuery("SELECT id, mover_id, size, sha256, source, target, metadata_json, arrived_ms, standby FROM data_file "
          + "WHERE id IN (<ids>)").bindList("ids", chunk).map((rs, ctx) -> {
            long id = rs.getLong("id");
            standby.put(id, rs.getBoolean("standby"));
            return new FileFacts(id, rs.getLong("mover_id"), rs.getLong("size"), rs.getString("sha256"),
                rs.getString("source"), rs.getString("target"), Json.read(rs.getString("metadata_json")), rs.getLong("arrived_ms"));
          }).forEach(ff -> facts.put(ff.id(), ff));
    }
    Map<Long, Boolean> hostsOf = new HashMap<>(); // destination -> has dissemination hosts, read once per release
    List<TransferStore.Write> writes = new ArrayList<>();
    for (DataTransfer t : transfersOf(h, comments.keySet())) {
      if (t.statusCode() != TransferStatus.FETC) continue;
      boolean hosts = hostsOf.computeIfAbsent(t.destinationId(), d -> destinations.hasDisseminationHosts(h, d));
      writes.add(new TransferStore.Write(t.withMessage("").withStatus(
          TransferLifecycle.initialStatus(standby.getOrDefault(t.dataFileId(), false), hosts), USER), TransferStatus.FETC,
          comments.get(t.dataFileId()), USER));
    }
    Map<Long, List<DataTransfer>> released = new java.util.LinkedHashMap<>();
    for (Long id : comments.keySet()) released.put(id, new ArrayList<>());
    for (TransferStore.Write w : applied(writes, transfers.applyAll(h, writes))) released.get(w.next().dataFileId()).add(w.next());
    List<Released> out = new ArrayList<>();
    released.forEach((id, ts) -> {
      if (facts.containsKey(id)) out.add(new Released(ts, facts.get(id)));
    });
    return out;
  }

  /** The writes that applied (those not in {@code missed}). */
  private static List<TransferStore.Write> applied(List<TransferStore.Write> writes, List<TransferStore.Write> missed) {
    if (missed.isEmpty()) return writes;
    java.util.Set<TransferStore.Write> not = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    not.addAll(missed);
    return writes.stream().filter(w -> !not.contains(w)).toList();
  }

  private static List<DataTransfer> transfersOf(Handle h, java.util.Collection<Long> fileIds) {
    List<DataTransfer> out = new ArrayList<>();
    for (List<Long> chunk : chunks(fileIds)) out.addAll(TransferDao.byDataFiles(h, chunk));
    return out;
  }

  /** A data file's fetch state and group, read with its row locked. */
  private record Locked(String fetchStatus, String group) {}

  /** The files' rows locked in id order, with their fetch state and group (one statement per 1,000 files). */
  private static Map<Long, Locked> lockFiles(Handle h, java.util.Collection<Long> fileIds) {
    Map<Long, Locked> out = new HashMap<>();
    for (List<Long> chunk : chunks(new java.util.TreeSet<>(fileIds))) {
      h.createQuery("SELECT id, fetch_status, group_by FROM data_file WHERE id IN (<ids>) ORDER BY id FOR UPDATE")
          .bindList("ids", chunk).map((rs, ctx) -> Map.entry(rs.getLong(1),
              new Locked(rs.getString(2).trim(), rs.getString(3) == null ? "" : rs.getString(3))))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  private static List<List<Long>> chunks(java.util.Collection<Long> ids) {
    List<Long> all = new ArrayList<>(ids);
    List<List<Long>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += 1000) out.add(all.subList(i, Math.min(all.size(), i + 1000)));
    return out;
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

  /** A BOOLEAN column read through mapToMap (H2 gives a Boolean, MariaDB a TINYINT). */
  private static boolean flag(Object column) {
    return Boolean.TRUE.equals(column) || Integer.valueOf(1).equals(column);
  }

  private static String truncate(String s) {
    return s == null ? "" : s.length() <= 1000 ? s : s.substring(0, 1000);
  }
}
