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

  public Map<String, Long> counts(long destinationId) {
    return db.jdbi().withExtension(TransferDao.class, dao -> dao.countsByStatus(destinationId));
  }
}
