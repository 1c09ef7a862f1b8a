package org.ecpds.master.notify;

import java.time.Instant;
import java.util.List;
import org.ecpds.master.db.Database;
import org.ecpds.master.db.Json;
import org.ecpds.master.rules.TemplateContext;

/** The publisher's side of the outbox: due rows with what a message says, and their outcomes. */
final class OutboxStore {
  private final Database db;

  OutboxStore(Database db) {
    this.db = db;
  }

  /** One due row: its kind, when it was written, the destination's options and the transfer's facts. */
  record Due(long id, Outbox.Kind kind, long createdMs, int attempts, String properties, TemplateContext facts) {}

  private static final String DUE = "SELECT o.id, o.kind, o.created_ms, o.attempts, t.id AS tid, t.target, t.priority, "
      + "t.status, t.queue_ms, t.asap, f.id AS fid, f.source, f.size, f.sha256, f.metadata_json, f.arrived_ms, "
      + "d.name AS dname, d.comment AS dcomment, d.properties, h.name AS hname, h.address, h.login, h.transfer_method, "
      + "m.name AS mname FROM notification_outbox o JOIN data_transfer t ON t.id = o.transfer_id "
      + "JOIN data_file f ON f.id = t.data_file_id JOIN destination d ON d.id = t.destination_id "
      + "LEFT JOIN host h ON h.id = t.host_id LEFT JOIN mover m ON m.id = t.mover_id "
      + "WHERE o.due_ms <= :now ORDER BY o.due_ms, o.id LIMIT :max";

  List<Due> due(long now, int max) {
    return db.jdbi().withHandle(h -> h.createQuery(DUE).bind("now", now).bind("max", max).map((rs, ctx) -> {
      Instant arrived = Instant.ofEpochMilli(rs.getLong("arrived_ms"));
      var file = new TemplateContext.DataFile(rs.getLong("fid"), rs.getString("source"), rs.getString("source"),
          rs.getLong("size"), arrived, null, null, null, null, null, rs.getString("sha256"),
          Json.read(rs.getString("metadata_json")));
      var transfer = new TemplateContext.Transfer(rs.getLong("tid"), rs.getString("target"), null, null,
          rs.getInt("priority"), Instant.ofEpochMilli(rs.getLong("queue_ms")), rs.getString("status"),
          rs.getBoolean("asap"));
      var destination = new TemplateContext.Destination(rs.getString("dname"), rs.getString("dcomment"), null);
      var host = new TemplateContext.Host(rs.getString("hname"), null, rs.getString("address"), rs.getString("login"),
          null, null, null, null);
      long created = rs.getLong("created_ms");
      var facts = new TemplateContext(file, transfer, destination, host, rs.getString("transfer_method"),
          rs.getString("mname"), Instant.ofEpochMilli(created));
      return new Due(rs.getLong("id"), Outbox.Kind.valueOf(rs.getString("kind")), created, rs.getInt("attempts"),
          rs.getString("properties"), facts);
    }).list());
  }

  /** Acknowledged by the broker (or nothing to send): the row goes. */
  void remove(long id) {
    db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM notification_outbox WHERE id = :id").bind("id", id).execute());
  }

  void retryAt(long id, long dueMs, String error) {
    String e = error == null ? "" : error.length() > 1000 ? error.substring(0, 1000) : error;
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE notification_outbox SET attempts = attempts + 1, due_ms = :due, "
        + "last_error = :e WHERE id = :id").bind("due", dueMs).bind("e", e).bind("id", id).execute());
  }

  long pending() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM notification_outbox").mapTo(Long.class).one());
  }
}
