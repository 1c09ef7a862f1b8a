package org.ecpds.master.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Parameters of OpenECPDS-style v1 calls: from the query string, or from a form body
 * (application/x-www-form-urlencoded), which OpenECPDS clients send with curl -d. A query
 * parameter wins over a form field of the same name.
 */
final class V1Params {
  private final Map<String, String> values = new HashMap<>();

  private V1Params() {}

  static V1Params of(UriInfo uri, String contentType, String body) {
    V1Params p = new V1Params();
    if (body != null && !body.isEmpty() && contentType != null
        && MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(MediaType.valueOf(contentType))) {
      for (String pair : body.split("&")) {
        if (pair.isEmpty()) continue;
        int eq = pair.indexOf('=');
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        p.values.putIfAbsent(k, v);
      }
    }
    MultivaluedMap<String, String> q = uri.getQueryParameters();
    q.forEach((k, v) -> { if (!v.isEmpty()) p.values.put(k, v.get(0)); });
    return p;
  }

  /** A parameter that must be present and not empty: otherwise 400 naming it. */
  String required(String name) {
    String v = values.get(name);
    if (v == null || v.isEmpty()) throw new IllegalArgumentException("parameter '" + name + "' is required");
    return v;
  }

  String optional(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  Integer integer(String name) {
    String v = optional(name);
    if (v == null) return null;
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter '" + name + "' must be a whole number, got '" + v + "'");
    }
  }

  Long number(String name) {
    String v = optional(name);
    if (v == null) return null;
    try {
      return Long.valueOf(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("parameter '" + name + "' must be a whole number, got '" + v + "'");
    }
  }

  long requiredNumber(String name) {
    required(name);
    return number(name);
  }

  Boolean bool(String name) {
    String v = optional(name);
    return v == null ? null : flag(name, v);
  }

  /** true/false (any case, also yes/no); absent or empty is false. */
  static boolean flag(String name, String v) {
    if (v == null || v.isEmpty()) return false;
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw new IllegalArgumentException("parameter '" + name + "' must be true or false, got '" + v + "'");
    };
  }
}
