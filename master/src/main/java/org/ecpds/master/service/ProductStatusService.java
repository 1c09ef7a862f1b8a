package org.ecpds.master.service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.ecpds.common.events.EventLog;
import org.ecpds.master.db.Database;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.service.UserService.Principal;

/**
 * OpenECPDS's product status: where a product (stream, base time, type, step) of a production run
 * is, recorded by the job itself with {@code ecpds -expected|-started|-completed} and cleared with
 * {@code -reset}. Each change writes a PRS event line. Operators only: it drives monitoring.
 */
public final class ProductStatusService {
  /** The statuses, with OpenECPDS's codes. */
  public enum Status {
    EXPECTED("INIT"), STARTED("EXEC"), COMPLETED("DONE");

    private final String code;

    Status(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Status parse(String s) {
      for (Status v : values()) if (v.name().equalsIgnoreCase(s == null ? "" : s.trim())) return v;
      throw new IllegalArgumentException("status must be expected, started or completed, not '" + s + "'");
    }
  }

  /** A product: its stream, base time (e.g. 00 or 2026120500), type (may be empty) and step. */
  public record Product(String stream, String time, String type, long step) {
    public Product {
      stream = required("stream", stream);
      time = required("time", time);
      type = type == null ? "" : type.trim();
      if (step < 0) throw new IllegalArgumentException("step must be >= 0");
    }

    private static String required(String name, String v) {
      if (v == null || v.isBlank()) throw new IllegalArgumentException(name + " is required");
      return v.trim();
    }
  }

  public record State(Product product, String statusCode, Long scheduleMs, long updatedMs, String updatedBy) {}

  private static final DateTimeFormatter EVENT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS").withZone(ZoneOffset.UTC);

  private final Database db;
  private final UserService users;
  private final Clock clock;

  public ProductStatusService(Database db, UserService users, Clock clock) {
    this.db = db;
    this.users = users;
    this.clock = clock;
  }

  /** Records the product's status (replacing the previous one) and writes its PRS event line. */
  public State record(Principal who, Product p, Status status, Long scheduleMs) {
    users.requireAdmin(who);
    check(p);
    long now = clock.millis();
    State s = new State(p, status.code(), scheduleMs, now, who.name());
    db.jdbi().useTransaction(h -> {
      int updated = h.createUpdate("UPDATE product_status SET status_code = :code, schedule_ms = :at, updated_ms = :now, "
          + "updated_by = :by WHERE stream = :stream AND time_base = :time AND type = :type AND step = :step")
          .bindMap(params(s)).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO product_status (stream, time_base, type, step, status_code, schedule_ms, updated_ms, "
            + "updated_by) VALUES (:stream, :time, :type, :step, :code, :at, :now, :by)").bindMap(params(s)).execute();
      }
    });
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("TimeStamp", EVENT_TIME.format(Instant.ofEpochMilli(now)));
    f.put("StatusCode", s.statusCode());
    f.put("DataStream", p.stream());
    f.put("TimeStep", p.step());
    f.put("TimeBase", p.time());
    f.put("Type", p.type());
    f.put("ScheduleTime", scheduleMs == null ? "" : EVENT_TIME.format(Instant.ofEpochMilli(scheduleMs)));
    f.put("LastUpdate", EVENT_TIME.format(Instant.ofEpochMilli(now)));
    f.put("ErrorMessage", "");
    EventLog.write("PRS", f);
    return s;
  }

  /** -reset: forgets the product's status; false when none was recorded. */
  public boolean reset(Principal who, Product p) {
    users.requireAdmin(who);
    return db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM product_status WHERE stream = :stream AND "
        + "time_base = :time AND type = :type AND step = :step").bindMap(key(p)).execute()) > 0;
  }

  public State get(Principal who, Product p) {
    users.requireAdmin(who);
    Optional<State> s = db.jdbi().withHandle(h -> h.createQuery("SELECT status_code, schedule_ms, updated_ms, updated_by "
        + "FROM product_status WHERE stream = :stream AND time_base = :time AND type = :type AND step = :step")
        .bindMap(key(p)).map((rs, ctx) -> new State(p, rs.getString(1), (Long) rs.getObject(2, Long.class),
            rs.getLong(3), rs.getString(4))).findOne());
    return s.orElseThrow(() -> new NotFoundException("no status recorded for product " + p.stream() + " " + p.time()
        + (p.type().isEmpty() ? "" : " " + p.type()) + " step " + p.step()));
  }

  private void check(Product p) {
    db.limits().check("stream", p.stream(), "product_status", "stream");
    db.limits().check("time", p.time(), "product_status", "time_base");
    db.limits().check("type", p.type(), "product_status", "type");
  }

  private static Map<String, Object> key(Product p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stream", p.stream());
    m.put("time", p.time());
    m.put("type", p.type());
    m.put("step", p.step());
    return m;
  }

  private static Map<String, Object> params(State s) {
    Map<String, Object> m = key(s.product());
    m.put("code", s.statusCode());
    m.put("at", s.scheduleMs());
    m.put("now", s.updatedMs());
    m.put("by", s.updatedBy());
    return m;
  }
}
