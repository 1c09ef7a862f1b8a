package org.ecpds.master.service;

import java.util.ArrayList;
import java.util.List;
import org.ecpds.master.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expiry: data files past their lifetime are removed with their transfers and history, in batches,
 * and their content is deleted from the mover that holds it. Registrations whose upload never
 * completed are removed once the upload window has passed, so nothing half-stored remains.
 */
public final class PurgeService {
  private static final Logger LOG = LoggerFactory.getLogger(PurgeService.class);
  private static final int BATCH = 500;

  private final Database db;
  private final long uploadWindowMs;

  public PurgeService(Database db, long uploadWindowMs) {
    this.db = db;
    this.uploadWindowMs = uploadWindowMs;
  }

  /** A removed data file: its id, the mover holding its content, and the transfers that went with it. */
  public record Purged(long dataFileId, Long moverId, List<Long> transferIds) {}

  /** Removes one batch of expired data files (none of whose transfers is running); returns them. */
  public List<Purged> purgeExpired(long now) {
    return db.jdbi().inTransaction(h -> {
      List<long[]> rows = h.createQuery("SELECT f.id, COALESCE(f.mover_id, -1) FROM data_file f WHERE f.expiry_ms <= :now "
              + "AND NOT EXISTS (SELECT 1 FROM data_transfer t WHERE t.data_file_id = f.id AND t.status = 'EXEC') "
              + "ORDER BY f.expiry_ms LIMIT " + BATCH)
          .bind("now", now).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
      List<Purged> out = new ArrayList<>();
      for (long[] r : rows) {
        List<Long> transfers = h.createQuery("SELECT id FROM data_transfer WHERE data_file_id = :f")
            .bind("f", r[0]).mapTo(Long.class).list();
        h.createUpdate("DELETE FROM data_file WHERE id = :f").bind("f", r[0]).execute();
        out.add(new Purged(r[0], r[1] < 0 ? null : r[1], transfers));
      }
      if (!out.isEmpty()) LOG.info("purged {} expired data files", out.size());
      return out;
    });
  }

  /** Removes registrations whose content never arrived within the upload window. */
  public int purgeAbandonedUploads(long now) {
    int n = db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM data_file WHERE arrived = FALSE AND created_ms < :limit")
        .bind("limit", now - uploadWindowMs).execute());
    if (n > 0) LOG.info("removed {} registrations whose upload never completed", n);
    return n;
  }

  /** Which of the ids a mover reports holding are still known (the rest is orphaned content). */
  public List<Long> unknownIds(List<Long> held) {
    if (held.isEmpty()) return List.of();
    java.util.Set<Long> known = new java.util.HashSet<>(); // a set: a mover may hold millions
    for (int i = 0; i < held.size(); i += 1000) {
      List<Long> chunk = held.subList(i, Math.min(held.size(), i + 1000));
      known.addAll(db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM data_file WHERE id IN (<ids>)")
          .bindList("ids", chunk).mapTo(Long.class).list()));
    }
    return held.stream().filter(id -> !known.contains(id)).toList();
  }
}
