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

  /**
   * The conditions of a conditional delete: If-Match (an ETag or *), the modification time (S3's
   * x-amz-if-match-last-modified-time, compared to the second) and the size; null ones are not checked.
   */
  record Delete(String ifMatch, Long modifiedSecond, Long size) {
    static final Delete NONE = new Delete(null, null, null);

    /** @param modified an HTTP date (header) or an ISO-8601 time (DeleteObjects' XML) */
    static Delete parse(String ifMatch, String modified, String size) throws S3Exception {
      if (ifMatch == null && modified == null && size == null) return NONE;
      Long second = null;
      if (modified != null) {
        second = seconds(modified);
        if (second == null) {
          try {
            second = java.time.OffsetDateTime.parse(modified.trim()).toEpochSecond();
          } catch (DateTimeParseException e) {
            throw S3Exception.invalidArgument("The last modified time condition is not a date: " + modified);
          }
        }
      }
      Long bytes = null;
      if (size != null) {
        try {
          bytes = Long.parseLong(size.trim());
        } catch (NumberFormatException e) {
          throw S3Exception.invalidArgument("The size condition is not a number: " + size);
        }
      }
      return new Delete(ifMatch, second, bytes);
    }

    boolean none() {
      return ifMatch == null && modifiedSecond == null && size == null;
    }

    boolean holds(String etag, long modifiedMillis, long entrySize) {
      return (ifMatch == null || matches(ifMatch, etag)) && (modifiedSecond == null || modifiedSecond == modifiedMillis / 1000)
          && (size == null || size == entrySize);
    }
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
