package org.ecpds.master.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.ecpds.master.db.Database;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.common.metrics.Metrics;

/**
 * The master's meters: transfers by status (the queue depth; one grouped count, cached for
 * {@link #QUEUE_TTL} so that scrapes never cost a query per status) and status changes committed,
 * by new status (EXEC = started, DONE = done, RETR/FAIL = failed once/for good).
 */
public final class MasterMetrics {
  static final Duration QUEUE_TTL = Duration.ofSeconds(10);
  private final PrometheusMeterRegistry registry = Metrics.newRegistry();
  private final Map<TransferStatus, Counter> changes = new EnumMap<>(TransferStatus.class);
  private final Database db;
  private final Clock clock;
  private Map<String, Long> counts; // null until the first scrape
  private long countedAt;

  public MasterMetrics(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
    for (TransferStatus s : TransferStatus.values()) {
      changes.put(s, Counter.builder("ecpds_transfer_status_changes").description("transfer status changes committed")
          .tag("status", s.name()).register(registry));
      Gauge.builder("ecpds_transfers", () -> count(s.name())).description("transfers in the database by status")
          .tag("status", s.name()).register(registry);
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Called after a status change committed. */
  public void changed(TransferStatus to) {
    changes.get(to).increment();
  }

  private synchronized long count(String status) {
    long now = clock.millis();
    if (counts == null || now - countedAt >= QUEUE_TTL.toMillis() || now < countedAt) {
      Map<String, Long> fresh = new HashMap<>();
      db.jdbi().useHandle(h -> h.createQuery("SELECT status, COUNT(*) AS n FROM data_transfer GROUP BY status")
          .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n"))).forEach(e -> fresh.put(e.getKey(), e.getValue())));
      counts = fresh;
      countedAt = now;
    }
    return counts.getOrDefault(status, 0L);
  }
}
