package org.ecpds.portal.s3;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** HTTP preconditions as S3 evaluates them for GET/HEAD and for a copy's source. */
final class Conditions {
  enum Outcome { PROCEED, NOT_MODIFIED, FAILED }

  private Conditions() {}

  /**
   * @param etag the object's quoted ETag
   * @param modifiedMillis the object's modification time (compared to the second, as HTTP dates are)
   */
  static Outcome evaluate(String ifMatch, String ifNoneMatch, String ifModifiedSince, String ifUnmodifiedSince,
      String etag, long modifiedMillis) {
    long modified = modifiedMillis / 1000;
    if (ifMatch != null) {
      if (!matches(ifMatch, etag)) return Outcome.FAILED;
    } else if (ifUnmodifiedSince != null) {
      Long since = seconds(ifUnmodifiedSince);
      if (since != null && modified > since) return Outcome.FAILED;
    }
    if (ifNoneMatch != null) {
      if (matches(ifNoneMatch, etag)) return Outcome.NOT_MODIFIED;
    } else if (ifModifiedSince != null) {
      Long since = seconds(ifModifiedSince);
      if (since != null && modified <= since) return Outcome.NOT_MODIFIED;
    }
    return Outcome.PROCEED;
  }

  static boolean matches(String header, String etag) {
    String bare = unquote(etag);
    for (String t : header.split(",")) {
      String v = t.trim();
      if (v.equals("*")) return true;
      if (v.startsWith("W/")) v = v.substring(2);
      if (unquote(v).equals(bare)) return true;
    }
    return false;
  }

  static String unquote(String s) {
    String t = s.trim();
    return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
  }

  private static Long seconds(String httpDate) {
    try {
      return ZonedDateTime.parse(httpDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    } catch (DateTimeParseException e) {
      return null; // S3 ignores a date it cannot read
    }
  }
}
