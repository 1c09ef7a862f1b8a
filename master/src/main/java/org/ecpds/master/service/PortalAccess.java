package org.ecpds.master.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ecpds.master.db.Database;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;

/** What portal users see and what their downloads change: the rules behind PortalService. */
public final class PortalAccess {
  private final Database db;
  private final UserService users;
  private final TransferStore store;

  public PortalAccess(Database db, UserService users, TransferStore store) {
    this.db = db;
    this.users = users;
    this.store = store;
  }

  public Optional<List<Permission>> authenticate(String user, String password) {
    return users.authenticateIncoming(user, password).map(u -> users.permissions(u.id()));
  }

  /** A file as the portal lists it: the newest available transfer per target name. */
  public record Entry(String name, long size, long modifiedMs, long dataFileId, long transferId, String status,
      long moverId) {}

  public List<Entry> list(String user, String destination) {
    IncomingUser u = users.incoming(user);
    boolean allowed = users.permissions(u.id()).stream()
        .anyMatch(p -> p.destination().equals(destination) && (p.canDir() || p.canGet()));
    if (!allowed) throw new ForbiddenException("user " + user + " may not list " + destination);
    long now = System.currentTimeMillis();
    List<Entry> rows = db.jdbi().withHandle(h -> h.createQuery(
        "SELECT t.target, f.size, f.arrived_ms, f.id AS file_id, t.id AS transfer_id, t.status, f.mover_id "
            + "FROM data_transfer t JOIN data_file f ON f.id = t.data_file_id JOIN destination d ON d.id = t.destination_id "
            + "WHERE d.name = :d AND f.arrived = TRUE AND f.expiry_ms > :now AND t.status IN (<visible>) "
            + "ORDER BY t.id")
        .bindList("visible", TransferLifecycle.portalVisible().stream().map(Enum::name).toList())
        .bind("d", destination).bind("now", now)
        .map((rs, ctx) -> new Entry(rs.getString("target"), rs.getLong("size"), rs.getLong("arrived_ms"),
            rs.getLong("file_id"), rs.getLong("transfer_id"), rs.getString("status"), rs.getLong("mover_id")))
        .list());
    Map<String, Entry> newest = new LinkedHashMap<>();
    for (Entry e : rows) newest.put(e.name(), e);
    return new ArrayList<>(newest.values());
  }

  /** A complete download of a StandBy transfer marks it Done (one transaction with its history row). */
  public String downloaded(String user, long transferId, String protocol, long bytes) {
    return db.jdbi().inTransaction(h -> {
      var t = h.attach(org.ecpds.master.db.TransferDao.class).lockById(transferId)
          .orElseThrow(() -> new org.ecpds.master.domain.NotFoundException("transfer " + transferId + " not found"));
      if (t.statusCode() != TransferStatus.HOLD) return t.status();
      return store.apply(h, transferId, new TransferStore.Change(TransferStatus.HOLD, TransferStatus.DONE,
          x -> x.finished(bytes, 0, System.currentTimeMillis()),
          "downloaded by " + user + " over " + protocol, user)).status();
    });
  }
}
