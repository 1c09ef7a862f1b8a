package org.ecpds.master.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.master.db.Database;

/**
 * Delivery rates of one destination for the monitor's plot: how many transfers reached DONE, and
 * how many bytes they carried, per fixed bucket over a recent window. Read from the transfer
 * history (the DONE entries), so a requeued file delivered twice counts twice, as it was sent twice.
 */
public final class TransferRates {
  /** One bucket: its start, the files and bytes delivered in it. */
  public record Point(long timeMs, long files, long bytes) {}

  public static final int MAX_MINUTES = 24 * 60;
  private final Database db;
  private final DestinationService destinations;

  public TransferRates(Database db, DestinationService destinations) {
    this.db = db;
    this.destinations = destinations;
  }

  /**
   * Every bucket of the window ending at {@code nowMs}, oldest first, empty ones included so the
   * plot's time axis is even. Buckets are aligned on multiples of {@code bucketMs} since the epoch.
   */
  public List<Point> of(String destination, long nowMs, int minutes, long bucketMs) {
    if (minutes <= 0 || minutes > MAX_MINUTES) {
      throw new IllegalArgumentException("minutes must be 1-" + MAX_MINUTES + ", got " + minutes);
    }
    if (bucketMs < 1_000) throw new IllegalArgumentException("bucket must be at least 1 s");
    long destinationId = destinations.get(destination).id();
    long last = Math.floorDiv(nowMs, bucketMs) * bucketMs;
    long first = last - (minutes * 60_000L / bucketMs - 1) * bucketMs;
    Map<Long, Point> found = new HashMap<>();
    // The bucket width is written into the statement (a long, never user text): H2 does not match a
    // GROUP BY expression holding a bind parameter with the same expression in the select list.
    db.jdbi().useHandle(h -> h.createQuery("SELECT h.time_ms - MOD(h.time_ms, <bucket>) AS b, COUNT(*) AS files, "
            + "COALESCE(SUM(CASE WHEN f.size > 0 THEN f.size ELSE 0 END), 0) AS bytes FROM transfer_history h "
            + "JOIN data_transfer t ON t.id = h.transfer_id JOIN data_file f ON f.id = t.data_file_id "
            + "WHERE h.status = 'DONE' AND h.time_ms >= :since AND t.destination_id = :d "
            + "GROUP BY h.time_ms - MOD(h.time_ms, <bucket>)")
        .define("bucket", Long.toString(bucketMs)).bind("since", first).bind("d", destinationId)
        .map((rs, ctx) -> new Point(rs.getLong("b"), rs.getLong("files"), rs.getLong("bytes")))
        .forEach(p -> found.put(p.timeMs(), p)));
    List<Point> out = new ArrayList<>();
    for (long t = first; t <= last; t += bucketMs) out.add(found.getOrDefault(t, new Point(t, 0, 0)));
    return out;
  }
}
