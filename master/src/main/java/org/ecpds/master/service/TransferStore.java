package org.ecpds.master.service;

import java.util.function.UnaryOperator;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.HistoryDao;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.TransferStatus;
import org.jdbi.v3.core.Handle;

/**
 * The one place where a transfer's status changes: the row update and its history row are written in
 * one transaction, after checking that the transfer is still in the status the caller expects.
 */
public final class TransferStore {
  private final Database db;

  public TransferStore(Database db) {
    this.db = db;
  }

  /** A requested change: expected current status, the new status and any other column edits. */
  public record Change(TransferStatus from, TransferStatus to, UnaryOperator<DataTransfer> edit, String comment,
      String user) {}

  /** Applies the change in its own transaction; returns the updated transfer. */
  public DataTransfer apply(long transferId, Change change) {
    return db.jdbi().inTransaction(h -> apply(h, transferId, change));
  }

  /** Applies the change inside the caller's transaction. */
  public DataTransfer apply(Handle h, long transferId, Change change) {
    TransferDao dao = h.attach(TransferDao.class);
    DataTransfer current = dao.lockById(transferId)
        .orElseThrow(() -> new NotFoundException("transfer " + transferId + " not found"));
    if (change.from() != null && current.statusCode() != change.from()) {
      throw new ConflictException("transfer " + transferId + " is " + current.status() + ", not " + change.from());
    }
    DataTransfer edited = change.edit() == null ? current : change.edit().apply(current);
    DataTransfer next = withStatus(edited, change.to(), change.user());
    dao.update(next);
    h.attach(HistoryDao.class).insert(transferId, change.to().name(), System.currentTimeMillis(), next.hostId(),
        truncate(change.comment(), 1000), change.user() == null ? "" : change.user());
    return next;
  }

  /** Records the first status of a new transfer. */
  public void recordCreated(Handle h, long transferId, TransferStatus status, String comment, String user) {
    h.attach(HistoryDao.class).insert(transferId, status.name(), System.currentTimeMillis(), null, comment,
        user == null ? "" : user);
  }

  private static DataTransfer withStatus(DataTransfer t, TransferStatus s, String user) {
    return new DataTransfer(t.id(), t.dataFileId(), t.destinationId(), t.hostId(), t.moverId(), t.target(), s.name(),
        t.priority(), t.queueMs(), t.startMs(), t.finishMs(), t.expiryMs(), t.sent(), t.requeueCount(),
        t.failureCount(), truncate(t.message(), 1000), user == null ? t.userStatus() : user);
  }

  static String truncate(String s, int max) {
    if (s == null) return "";
    return s.length() <= max ? s : s.substring(0, max);
  }
}
