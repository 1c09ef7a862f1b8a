package org.ecpds.master.service;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.ecpds.common.config.Durations;
import org.ecpds.master.db.Database;
import org.ecpds.master.domain.LimitExceeded;
import org.ecpds.master.domain.PortalLimits;

/**
 * The one place that decides an incoming user's Data Portal limits: it validates them, keeps what
 * the user moved through the portal (any mover) and refuses an upload or a download past the quota.
 * Quotas are rolling windows: the bytes of the last {@code period} up to now, so a quota frees up
 * gradually as old transfers leave the window, with no reset instant to race for.
 */
public final class PortalQuotas {
  /** The longest period a quota may count over; older usage rows are purged. */
  public static final Duration MAX_PERIOD = Duration.ofDays(366);
  static final Duration MIN_PERIOD = Duration.ofSeconds(1);
  /** The same bound as the movers' portal.maxSessionsPerUser. */
  static final int MAX_CONNECTIONS = 1_000_000;
  private static final String UP = "U";
  private static final String DOWN = "D";

  private final Database db;
  private final Clock clock;
  /** One lock per user: the check and the registration of an upload happen as one step on this master. */
  private final ConcurrentHashMap<Long, Object> locks = new ConcurrentHashMap<>();

  public PortalQuotas(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Fields a REST body may set; null keeps the current value. */
  public record Patch(Integer maxConnections, Long maxUploadBytes, String uploadPeriod, Long maxDownloadBytes,
      String downloadPeriod) {
    public static final Patch NONE = new Patch(null, null, null, null, null);
  }

  /** Bytes counted in the current window and what is left (-1: no quota). */
  public record Usage(long uploaded, long uploadRemaining, long downloaded, long downloadRemaining) {}

  public PortalLimits limits(long userId) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT max_connections, max_upload_bytes, upload_period_ms, "
            + "max_download_bytes, download_period_ms FROM incoming_user WHERE id = :id").bind("id", userId)
        .map((rs, ctx) -> new PortalLimits(rs.getInt(1), rs.getLong(2), Duration.ofMillis(rs.getLong(3)), rs.getLong(4),
            Duration.ofMillis(rs.getLong(5))))
        .findOne().orElse(PortalLimits.NONE));
  }

  /** The limits after a patch, validated (a bad value is an IllegalArgumentException naming the field). */
  public static PortalLimits apply(PortalLimits current, Patch p) {
    int conns = p.maxConnections() == null ? current.maxConnections() : p.maxConnections();
    if (conns < 0 || conns > MAX_CONNECTIONS) {
      throw new IllegalArgumentException("maxConnections must be between 0 (the mover's default) and " + MAX_CONNECTIONS);
    }
    return new PortalLimits(conns, bytes("maxUploadBytes", p.maxUploadBytes(), current.maxUploadBytes()),
        period("uploadPeriod", p.uploadPeriod(), current.uploadPeriod()),
        bytes("maxDownloadBytes", p.maxDownloadBytes(), current.maxDownloadBytes()),
        period("downloadPeriod", p.downloadPeriod(), current.downloadPeriod()));
  }

  private static long bytes(String field, Long value, long current) {
    if (value == null) return current;
    if (value < 0) throw new IllegalArgumentException(field + " must be >= 0 (0: no quota)");
    return value;
  }

  private static Duration period(String field, String value, Duration current) {
    if (value == null) return current;
    Duration d;
    try {
      d = Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage());
    }
    if (d.compareTo(MIN_PERIOD) < 0 || d.compareTo(MAX_PERIOD) > 0) {
      throw new IllegalArgumentException(field + " must be between 1s and 366d");
    }
    return d;
  }

  public void save(long userId, PortalLimits l) {
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE incoming_user SET max_connections = :c, max_upload_bytes = :ub, "
            + "upload_period_ms = :up, max_download_bytes = :db, download_period_ms = :dp WHERE id = :id")
        .bind("c", l.maxConnections()).bind("ub", l.maxUploadBytes()).bind("up", l.uploadPeriod().toMillis())
        .bind("db", l.maxDownloadBytes()).bind("dp", l.downloadPeriod().toMillis()).bind("id", userId).execute());
  }

  public Usage usage(long userId) {
    PortalLimits l = limits(userId);
    long up = used(userId, UP, l.uploadPeriod());
    long down = used(userId, DOWN, l.downloadPeriod());
    return new Usage(up, l.uploadQuota() ? Math.max(0, l.maxUploadBytes() - up) : -1, down,
        l.downloadQuota() ? Math.max(0, l.maxDownloadBytes() - down) : -1);
  }

  /**
   * Registers an upload of {@code bytes} within the user's upload quota: the check, the registration
   * and its usage row happen under the user's lock, so two movers committing at once cannot both pass.
   */
  public long upload(long userId, String user, long bytes, String what, LongSupplier register) {
    synchronized (locks.computeIfAbsent(userId, k -> new Object())) {
      PortalLimits l = limits(userId);
      long size = Math.max(0, bytes);
      if (l.uploadQuota()) {
        long used = used(userId, UP, l.uploadPeriod());
        if (used >= l.maxUploadBytes() || size > l.maxUploadBytes() - used) {
          throw new LimitExceeded.QuotaExceeded("upload quota of " + user + " exceeded: " + used + " of "
              + l.maxUploadBytes() + " bytes used in the last " + Durations.format(l.uploadPeriod()) + ", " + size
              + " more refused for " + what);
        }
      }
      long id = register.getAsLong();
      record(userId, UP, size);
      return id;
    }
  }

  /** Refuses a download of {@code bytes} that the user's download quota cannot take any more. */
  public void requireDownload(long userId, String user, long bytes, String what) {
    PortalLimits l = limits(userId);
    if (!l.downloadQuota()) return;
    long used = used(userId, DOWN, l.downloadPeriod());
    if (used >= l.maxDownloadBytes() || bytes > l.maxDownloadBytes() - used) {
      throw new LimitExceeded.QuotaExceeded("download quota of " + user + " exceeded: " + used + " of "
          + l.maxDownloadBytes() + " bytes used in the last " + Durations.format(l.downloadPeriod()) + ", " + bytes
          + " more refused for " + what);
    }
  }

  /** A complete download the portal accounted. */
  public void downloaded(long userId, long bytes) {
    record(userId, DOWN, Math.max(0, bytes));
  }

  private long used(long userId, String direction, Duration period) {
    long since = clock.millis() - period.toMillis();
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(bytes), 0) FROM portal_usage "
            + "WHERE user_id = :u AND direction = :d AND at_ms > :since")
        .bind("u", userId).bind("d", direction).bind("since", since).mapTo(Long.class).one());
  }

  private void record(long userId, String direction, long bytes) {
    long now = clock.millis();
    db.jdbi().useTransaction(h -> {
      h.createUpdate("INSERT INTO portal_usage (user_id, direction, bytes, at_ms) VALUES (:u, :d, :b, :now)")
          .bind("u", userId).bind("d", direction).bind("b", bytes).bind("now", now).execute();
      h.createUpdate("DELETE FROM portal_usage WHERE user_id = :u AND at_ms <= :old").bind("u", userId)
          .bind("old", now - MAX_PERIOD.toMillis()).execute();
    });
  }
}
