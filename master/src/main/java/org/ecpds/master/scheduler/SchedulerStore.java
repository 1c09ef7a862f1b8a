package org.ecpds.master.scheduler;

import java.util.List;
import java.util.Map;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.Json;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.HostAssociation;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.TransferStore;

/**
 * The scheduler's reads and writes besides status changes: the start-up snapshot (three queries,
 * whatever the queue length) and the few destination and data-file updates its rules make. Called
 * from the start-up thread and the status writer, never from the scheduler thread.
 */
public final class SchedulerStore {
  private final Database db;
  private final TransferStore transfers;
  private final DestinationService destinations;

  public SchedulerStore(Database db, TransferStore transfers, DestinationService destinations) {
    this.db = db;
    this.transfers = transfers;
    this.destinations = destinations;
  }

  /** An open transfer with the facts of its data file. */
  record Open(DataTransfer row, FileFacts file) {}

  record Snapshot(List<Destination> destinations, Map<Long, List<HostAssociation>> hosts, List<Open> open) {}

  private static final String OPEN = "SELECT t.id, t.data_file_id, t.destination_id, t.host_id, t.mover_id, t.target, "
      + "t.status, t.priority, t.queue_ms, t.start_ms, t.finish_ms, t.expiry_ms, t.sent, t.requeue_count, "
      + "t.failure_count, t.message, t.user_status, t.asap, t.start_count, t.resumed_from, f.mover_id AS file_mover, "
      + "f.size AS file_size, f.sha256, f.source, f.target AS file_target, f.metadata_json, f.arrived_ms "
      + "FROM data_transfer t JOIN data_file f ON f.id = t.data_file_id WHERE t.status IN (<open>)";

  Snapshot load() {
    List<Destination> ds = destinations.list();
    Map<Long, List<HostAssociation>> hs = destinations.allDisseminationHosts();
    Map<Long, FileFacts> files = new java.util.HashMap<>(); // alias transfers share their file's facts
    List<Open> open = db.jdbi().withHandle(h -> h.createQuery(OPEN).bindList("open",
        org.ecpds.master.domain.TransferLifecycle.pendingCodes()).setFetchSize(1000).map((rs, ctx) -> {
      DataTransfer t = new DataTransfer(rs.getLong("id"), rs.getLong("data_file_id"), rs.getLong("destination_id"),
          (Long) rs.getObject("host_id", Long.class), (Long) rs.getObject("mover_id", Long.class), rs.getString("target"),
          rs.getString("status"), rs.getInt("priority"), rs.getLong("queue_ms"), rs.getLong("start_ms"),
          rs.getLong("finish_ms"), rs.getLong("expiry_ms"), rs.getLong("sent"), rs.getInt("requeue_count"),
          rs.getInt("failure_count"), rs.getString("message"), rs.getString("user_status"), rs.getBoolean("asap"),
          rs.getInt("start_count"), rs.getLong("resumed_from"));
      long fileId = t.dataFileId();
      FileFacts f = files.get(fileId);
      if (f == null) {
        Long mover = (Long) rs.getObject("file_mover", Long.class);
        f = new FileFacts(fileId, mover == null ? -1 : mover, rs.getLong("file_size"), rs.getString("sha256"),
            rs.getString("source"), rs.getString("file_target"), Json.read(rs.getString("metadata_json")),
            rs.getLong("arrived_ms"));
        files.put(fileId, f);
      }
      return new Open(t, f);
    }).list());
    return new Snapshot(ds, hs, open);
  }

  TransferStore transfers() {
    return transfers;
  }

  Database database() {
    return db;
  }

  void setDispatchState(long destinationId, String state, String user) {
    destinations.setDispatchState(destinationId, state, user);
  }

  /** Delete From Spool = On success: once every transfer of the file is done, it expires now. */
  void expireIfAllDone(long dataFileId, long now) {
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE data_file SET expiry_ms = :now WHERE id = :id AND NOT EXISTS "
        + "(SELECT 1 FROM data_transfer t WHERE t.data_file_id = :id AND t.status <> 'DONE')")
        .bind("now", now).bind("id", dataFileId).execute());
  }
}
