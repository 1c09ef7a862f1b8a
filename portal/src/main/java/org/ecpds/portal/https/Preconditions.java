package org.ecpds.portal.https;

import org.eclipse.jetty.http.HttpFields;
import org.ecpds.portal.fs.FsEntry;

/**
 * RFC 9110 §13 conditional requests, evaluated in the standard's order against what stands at the
 * path (null when nothing does). Dates compare at one-second precision, as HTTP dates carry.
 */
public final class Preconditions {
  public enum Outcome { PROCEED, NOT_MODIFIED, FAILED }

  private Preconditions() {}

  public static String etag(FsEntry e) {
    return "\"" + e.etag() + "\"";
  }

  public static Outcome evaluate(HttpFields headers, FsEntry current, boolean safeMethod) {
    String ifMatch = headers.get("If-Match");
    if (ifMatch != null) {
      if (!matches(ifMatch, current, true)) return Outcome.FAILED;
    } else {
      long since = HttpDates.parseSeconds(headers.get("If-Unmodified-Since"));
      if (since >= 0 && current != null && current.modifiedMillis() / 1000 > since) return Outcome.FAILED;
    }
    String ifNoneMatch = headers.get("If-None-Match");
    if (ifNoneMatch != null) {
      if (matches(ifNoneMatch, current, false)) return safeMethod ? Outcome.NOT_MODIFIED : Outcome.FAILED;
    } else if (safeMethod && current != null) {
      long since = HttpDates.parseSeconds(headers.get("If-Modified-Since"));
      if (since >= 0 && current.modifiedMillis() / 1000 <= since) return Outcome.NOT_MODIFIED;
    }
    return Outcome.PROCEED;
  }

  /** Whether a Range may be honoured: no If-Range, or one naming the current representation exactly. */
  public static boolean ifRangeHolds(HttpFields headers, FsEntry current) {
    String ifRange = headers.get("If-Range");
    if (ifRange == null) return true;
    String v = ifRange.trim();
    if (v.startsWith("\"")) return v.equals(etag(current));
    if (v.startsWith("W/")) return false;
    long date = HttpDates.parseSeconds(v);
    return date >= 0 && date == current.modifiedMillis() / 1000;
  }

  /** An entity-tag list against the current entry: strong comparison for If-Match, weak for If-None-Match. */
  static boolean matches(String list, FsEntry current, boolean strong) {
    if (current == null) return false;
    if (list.trim().equals("*")) return true;
    String mine = etag(current);
    for (String tag : list.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        if (strong) continue;
        t = t.substring(2);
      }
      if (t.equals(mine)) return true;
    }
    return false;
  }
}
