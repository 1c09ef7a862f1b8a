package org.ecpds.portal.https;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** IMF-fixdate (RFC 1123) formatting and lenient parsing of the three HTTP date forms. */
public final class HttpDates {
  private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", java.util.Locale.US);
  private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", java.util.Locale.US);

  private HttpDates() {}

  /** IMF-fixdate: two-digit day, always GMT (Java's RFC_1123_DATE_TIME drops the leading zero). */
  private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

  public static String format(long millis) {
    return IMF_FIXDATE.format(Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC));
  }

  /** Seconds since the epoch, or -1 when the value is not an HTTP date (then the condition is ignored). */
  public static long parseSeconds(String value) {
    if (value == null) return -1;
    String v = value.trim();
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    } catch (DateTimeParseException ignored) {
      // try the obsolete forms
    }
    try {
      return ZonedDateTime.parse(v, RFC_850).toEpochSecond();
    } catch (DateTimeParseException ignored) {
      // next
    }
    try {
      return java.time.LocalDateTime.parse(v.replaceAll("\\s+", " "), ASCTIME).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      return -1;
    }
  }
}
