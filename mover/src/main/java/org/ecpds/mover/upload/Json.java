package org.ecpds.mover.upload;

import java.util.Map;

/** The few flat JSON objects the upload endpoint answers with; avoids a JSON library here. */
final class Json {
  private Json() {}

  static String object(Map<String, ?> fields) {
    StringBuilder sb = new StringBuilder("{");
    fields.forEach((k, v) -> {
      if (sb.length() > 1) sb.append(',');
      sb.append(quote(k)).append(':');
      sb.append(v instanceof Number || v instanceof Boolean ? v.toString() : quote(String.valueOf(v)));
    });
    return sb.append('}').toString();
  }

  static String error(String message) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("status", "error");
    m.put("message", message);
    return object(m);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }
}
