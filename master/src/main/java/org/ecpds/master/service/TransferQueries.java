package org.ecpds.master.service;

import java.util.List;
import java.util.Map;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.HistoryDao;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.HistoryRow;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.TransferStatus;

/** Read side of transfers: listings, one transfer with its history, counts per status. */
public final class TransferQueries {
  private final Database db;
  private final DestinationService destinations;

  public TransferQueries(Database db, DestinationService destinations) {
    this.db = db;
    this.destinations = destinations;
  }

  public List<DataTransfer> list(String destination, String status, int limit) {
    long id = destinations.get(destination).id();
    int max = Math.max(1, Math.min(limit <= 0 ? 1000 : limit, 10_000));
    if (status == null || status.isBlank()) {
      return db.jdbi().withExtension(TransferDao.class, dao -> dao.byDestination(id, max));
    }
    String code = TransferStatus.parse(status).name();
    return db.jdbi().withExtension(TransferDao.class, dao -> dao.byDestinationAndStatus(id, code, max));
  }

  public DataTransfer get(long id) {
    return db.jdbi().withExtension(TransferDao.class, dao -> dao.byId(id))
        .orElseThrow(() -> new NotFoundException("transfer " + id + " not found"));
  }

  public List<HistoryRow> history(long transferId) {
    return db.jdbi().withExtension(HistoryDao.class, dao -> dao.of(transferId));
  }

  public List<DataTransfer> ofDataFile(long dataFileId) {
    return db.jdbi().withExtension(TransferDao.class, dao -> dao.byDataFile(dataFileId));
  }

  /** Histories of many transfers in one query (a page of transfers, not one query per row). */
  public Map<Long, List<HistoryRow>> histories(List<Long> transferIds) {
    if (transferIds.isEmpty()) return Map.of();
    Map<Long, List<HistoryRow>> out = new java.util.HashMap<>();
    db.jdbi().withHandle(h -> h.createQuery("SELECT id, transfer_id, status, time_ms, host_id, comment, user_name "
        + "FROM transfer_history WHERE transfer_id IN (<ids>) ORDER BY transfer_id, id").bindList("ids", transferIds)
        .mapTo(HistoryRow.class).list())
        .forEach(r -> out.computeIfAbsent(r.transferId(), k -> new java.util.ArrayList<>()).add(r));
    return out;
  }

  /** Sizes of many data files in one query. */
  public Map<Long, Long> sizes(List<Long> dataFileIds) {
    if (dataFileIds.isEmpty()) return Map.of();
    Map<Long, Long> out = new java.util.HashMap<>();
    db.jdbi().withHandle(h -> h.createQuery("SELECT id, size FROM data_file WHERE id IN (<ids>)")
        .bindList("ids", dataFileIds).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2))).list())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Counts per status of every destination, in one query. */
  public Map<Long, Map<String, Long>> allCounts() {
    Map<Long, Map<String, Long>> out = new java.util.HashMap<>();
    db.jdbi().withHandle(h -> h.createQuery("SELECT destination_id, status, COUNT(*) FROM data_transfer "
        + "GROUP BY destination_id, status").map((rs, ctx) -> {
          out.computeIfAbsent(rs.getLong(1), k -> new java.util.HashMap<>()).put(rs.getString(2), rs.getLong(3));
          return 0;
        }).list());
    return out;
  }

  public Map<String, Long> counts(long destinationId) {
    return db.jdbi().withExtension(TransferDao.class, dao -> dao.countsByStatus(destinationId));
  }
}
