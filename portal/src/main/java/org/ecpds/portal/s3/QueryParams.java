package org.ecpds.portal.s3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A query string split as S3 sends it: name=value pairs, a bare name ("?uploads") has the value "". */
final class QueryParams {
  private QueryParams() {}

  /** The pairs still percent-encoded, leaving out {@code exclude} (the presigned signature itself). */
  static List<String[]> rawPairs(String rawQuery, String exclude) {
    List<String[]> out = new ArrayList<>();
    if (rawQuery == null || rawQuery.isEmpty()) return out;
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) continue;
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      if (name.equals(exclude)) continue;
      out.add(new String[] {name, value});
    }
    return out;
  }

  /** Decoded names and values, the first value of each name. */
  static Map<String, String> parse(String rawQuery) throws S3Exception {
    Map<String, String> out = new LinkedHashMap<>();
    for (String[] p : rawPairs(rawQuery, null)) out.putIfAbsent(SigV4.decode(p[0]), SigV4.decode(p[1]));
    return out;
  }
}
