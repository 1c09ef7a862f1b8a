package org.ecpds.common.events;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenECPDS-compatible event records ("CODE;Key=Value;..."), written to the logger "ecpds.events"
 * so that operators can route them to a dedicated file.
 */
public final class EventLog {
  private static final Logger EVENTS = LoggerFactory.getLogger("ecpds.events");

  private EventLog() {}

  public static String line(String code, Map<String, ?> fields) {
    StringBuilder sb = new StringBuilder(code);
    fields.forEach((k, v) -> sb.append(';').append(k).append('=').append(clean(v)));
    return sb.toString();
  }

  public static void write(String code, Map<String, ?> fields) {
    EVENTS.info(line(code, fields));
  }

  /** DEA: access denied. */
  public static void denied(String user, String message, String protocol, String mover, String client) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("UserId", user);
    f.put("Message", message);
    f.put("Context", protocol + "," + mover + "," + client);
    write("DEA", f);
  }

  private static String clean(Object v) {
    return v == null ? "" : String.valueOf(v).replace(';', ',').replace('\n', ' ').replace('\r', ' ');
  }
}
