package org.ecpds.master.acquisition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.ecpds.master.db.Database;

/**
 * What acquisition runs have taken, per destination and acquisition host (table {@code acquired_file}):
 * the dedup and requeue memory of the Acquisition Scheduler. A row is written after its registration,
 * so a master stopping in between leaves no row; the next run registers again and the retrieval
 * service's own duplicate check (same destination, target, host and path) returns the existing data
 * file instead of a second one.
 */
public final class AcquiredFiles {
  /** One taken file: what was listed when it was taken, and the data file it became. */
  public record Taken(long size, long modifiedMillis, Long dataFileId, long takenMillis) {
    public Requeue.Known known() {
      return new Requeue.Known(size, modifiedMillis);
    }
  }

  private final Database db;

  public AcquiredFiles(Database db) {
    this.db = db;
  }

  public Optional<Taken> find(long destinationId, long hostId, DedupKey key) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT size, mtime_ms, data_file_id, taken_ms FROM acquired_file "
        + "WHERE destination_id = :d AND host_id = :h AND dedup_hash = :k")
        .bind("d", destinationId).bind("h", hostId).bind("k", hash(key))
        .map((rs, ctx) -> new Taken(rs.getLong("size"), rs.getLong("mtime_ms"),
            (Long) rs.getObject("data_file_id", Long.class), rs.getLong("taken_ms")))
        .findOne());
  }

  /** Records a taken file, or replaces what was recorded under its key (a requeue), in one statement each way. */
  public void record(long destinationId, long hostId, DedupKey key, Taken taken) {
    db.jdbi().useTransaction(h -> {
      int updated = h.createUpdate("UPDATE acquired_file SET size = :s, mtime_ms = :m, data_file_id = :f, taken_ms = :t "
          + "WHERE destination_id = :d AND host_id = :h AND dedup_hash = :k")
          .bind("d", destinationId).bind("h", hostId).bind("k", hash(key)).bind("s", taken.size())
          .bind("m", taken.modifiedMillis()).bind("f", taken.dataFileId()).bind("t", taken.takenMillis()).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO acquired_file (destination_id, host_id, dedup_hash, dedup_key, size, mtime_ms, "
            + "data_file_id, taken_ms) VALUES (:d, :h, :k, :text, :s, :m, :f, :t)")
            .bind("d", destinationId).bind("h", hostId).bind("k", hash(key)).bind("text", printable(key))
            .bind("s", taken.size()).bind("m", taken.modifiedMillis()).bind("f", taken.dataFileId())
            .bind("t", taken.takenMillis()).execute();
      }
    });
  }

  public int count(long destinationId, long hostId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM acquired_file WHERE destination_id = :d AND host_id = :h")
        .bind("d", destinationId).bind("h", hostId).mapTo(Integer.class).one());
  }

  static String hash(DedupKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.text().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** The key for people reading the table: NUL separators shown as '|', cut to the column. */
  private static String printable(DedupKey key) {
    String s = key.text().replace('\0', '|');
    return s.length() > 3072 ? s.substring(0, 3072) : s;
  }
}
