package org.ecpds.master.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.HistoryDao;
import org.ecpds.master.db.TransferDao;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.notify.Outbox;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The one place where a transfer's status changes: the row update and its history row are written in
 * one transaction, after checking that the transfer is still in the status the caller expects and
 * that the lifecycle has the change. {@link #applyAll} is the group commit the scheduler uses under
 * load: many changes, one transaction, each change still with its history row.
 */
public final class TransferStore {
  private static final String HISTORY_INSERT = "INSERT INTO transfer_history (transfer_id, status, time_ms, host_id, "
      + "comment, user_name) VALUES (:t, :s, :time, :host, :comment, :user)";

  private final Database db;
  private final Clock clock;
  private final java.util.function.Consumer<TransferStatus> committed;

  public TransferStore(Database db, Clock clock) {
    this(db, clock, s -> {});
  }

  /** {@code committed} hears each status change once its transaction committed (the metrics' counters). */
  public TransferStore(Database db, Clock clock, java.util.function.Consumer<TransferStatus> committed) {
    this.db = db;
    this.clock = clock;
    this.committed = committed;
  }

  /** A requested change: expected current status, the new status and any other column edits. */
  public record Change(TransferStatus from, TransferStatus to, UnaryOperator<DataTransfer> edit, String comment,
      String user) {}

  /** A change whose new row the caller already computed (the scheduler keeps its transfers in memory). */
  public record Write(DataTransfer next, TransferStatus from, String comment, String user) {
    public Write {
      TransferLifecycle.check(from, next.statusCode());
    }
  }

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
    TransferLifecycle.check(current.statusCode(), change.to());
    DataTransfer edited = change.edit() == null ? current : change.edit().apply(current);
    DataTransfer next = edited.withStatus(change.to(), change.user()).withMessage(truncate(edited.message(), 1000));
    dao.update(next);
    h.attach(HistoryDao.class).insert(transferId, change.to().name(), clock.millis(), next.hostId(),
        truncate(change.comment(), 1000), change.user() == null ? "" : change.user());
    if (change.to() == TransferStatus.DONE) Outbox.enqueueDone(h, List.of(transferId), clock.millis());
    h.afterCommit(() -> committed.accept(change.to()));
    return next;
  }

  /**
   * Commits the writes in one transaction (row updates and history rows as two batches). Returns
   * the writes that did not apply because their row was no longer in the expected status; the
   * others are committed. An empty list means all were.
   */
  public List<Write> applyAll(List<Write> writes) {
    if (writes.isEmpty()) return List.of();
    return db.jdbi().inTransaction(h -> applyAll(h, writes));
  }

  /** {@link #applyAll(List)} inside the caller's transaction. */
  public List<Write> applyAll(Handle h, List<Write> writes) {
    if (writes.isEmpty()) return List.of();
    List<TransferStatus> applied = new ArrayList<>();
    PreparedBatch rows = h.prepareBatch(TransferDao.UPDATE_IF);
    for (Write w : writes) {
      DataTransfer t = w.next().withMessage(truncate(w.next().message(), 1000));
      // bound by hand: bindMethods reflects over the record for every row (14 % of the writer's time in a profile)
      rows.bind("id", t.id()).bind("hostId", t.hostId()).bind("moverId", t.moverId()).bind("status", t.status())
          .bind("priority", t.priority()).bind("queueMs", t.queueMs()).bind("startMs", t.startMs())
          .bind("finishMs", t.finishMs()).bind("sent", t.sent()).bind("requeueCount", t.requeueCount())
          .bind("failureCount", t.failureCount()).bind("message", t.message()).bind("userStatus", t.userStatus())
          .bind("startCount", t.startCount()).bind("resumedFrom", t.resumedFrom())
          .bind("expected", w.from().name()).add();
    }
    int[] counts = rows.execute();
    List<Write> notApplied = new ArrayList<>();
    PreparedBatch history = h.prepareBatch(HISTORY_INSERT);
    long now = clock.millis();
    List<Long> done = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      Write w = writes.get(i);
      if (counts[i] == 0) {
        notApplied.add(w);
        continue;
      }
      applied.add(w.next().statusCode());
      if (w.next().statusCode() == TransferStatus.DONE) done.add(w.next().id());
      history.bind("t", w.next().id()).bind("s", w.next().status()).bind("time", now)
          .bind("host", w.next().hostId()).bind("comment", truncate(w.comment(), 1000))
          .bind("user", w.user() == null ? "" : w.user()).add();
    }
    if (history.size() > 0) history.execute();
    Outbox.enqueueDone(h, done, now); // with the status change: a crash cannot lose the notification
    h.afterCommit(() -> applied.forEach(committed)); // a rolled-back batch counts nothing
    return notApplied;
  }

  /** Records the first status of a new transfer. */
  public void recordCreated(Handle h, long transferId, TransferStatus status, String comment, String user) {
    h.attach(HistoryDao.class).insert(transferId, status.name(), clock.millis(), null, comment,
        user == null ? "" : user);
  }

  /** A new transfer's first status, with its history comment. */
  public record Created(long transferId, TransferStatus status, String comment, String user) {}

  /** Records the first status of several new transfers, as one batch of history rows. */
  public void recordCreatedAll(Handle h, List<Created> created) {
    if (created.isEmpty()) return;
    PreparedBatch history = h.prepareBatch(HISTORY_INSERT);
    long now = clock.millis();
    for (Created c : created) {
      history.bind("t", c.transferId()).bind("s", c.status().name()).bind("time", now).bind("host", (Long) null)
          .bind("comment", truncate(c.comment(), 1000)).bind("user", c.user() == null ? "" : c.user()).add();
    }
    history.execute();
  }

  /**
   * A change of the transfer that is not a status change (a portal rename): its row edit and a
   * history row with its current status, in the caller's transaction.
   */
  public void recordEdit(Handle h, long transferId, String comment, String user) {
    String status = h.createQuery("SELECT status FROM data_transfer WHERE id = :id").bind("id", transferId)
        .mapTo(String.class).findOne().orElseThrow(() -> new NotFoundException("transfer " + transferId + " not found"));
    h.attach(HistoryDao.class).insert(transferId, status, clock.millis(), null, truncate(comment, 1000),
        user == null ? "" : user);
  }

  static String truncate(String s, int max) {
    if (s == null) return "";
    return s.length() <= max ? s : s.substring(0, max);
  }
}
