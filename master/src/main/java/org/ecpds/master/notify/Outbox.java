package org.ecpds.master.notify;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The writing side of the notification outbox: rows are added inside the caller's transaction, the
 * one that commits the status change, so a notification exists exactly when its change does.
 */
public final class Outbox {
  /** Why the message is sent: a transfer became Done, or a file is ready on a portal-only destination. */
  public enum Kind { DONE, AVAILABLE }

  private Outbox() {}

  /** One row per transfer among {@code transferIds} that is flagged for events. */
  public static void enqueueDone(Handle h, List<Long> transferIds, long now) {
    if (transferIds.isEmpty()) return;
    h.createUpdate("INSERT INTO notification_outbox (transfer_id, kind, created_ms, due_ms) "
        + "SELECT id, 'DONE', :now, :now FROM data_transfer WHERE event = TRUE AND id IN (<ids>)")
        .bindList("ids", transferIds).bind("now", now).execute();
  }

  /** A row for a transfer the caller knows is flagged. */
  public static void enqueue(Handle h, long transferId, Kind kind, long now) {
    h.createUpdate("INSERT INTO notification_outbox (transfer_id, kind, created_ms, due_ms) VALUES (:t, :k, :now, :now)")
        .bind("t", transferId).bind("k", kind.name()).bind("now", now).execute();
  }
}
