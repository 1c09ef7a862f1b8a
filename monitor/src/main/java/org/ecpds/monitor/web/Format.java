package org.ecpds.monitor.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Display formats. All times are UTC, as operators compare them with logs from many sites. */
final class Format {
  static final String NONE = "\u2013";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Format() {}

  /** Epoch millis as UTC, or a dash for "never" (0 or negative). */
  static String time(long epochMillis) {
    return epochMillis <= 0 ? NONE : TIME.format(Instant.ofEpochMilli(epochMillis));
  }

  static String bytes(long bytes) {
    if (bytes < 0) return NONE;
    if (bytes < 1024) return bytes + " B";
    double v = bytes;
    int unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, UNITS[unit]);
  }

  /** Whole percent sent, clamped to 0..100; an empty file counts as complete once sent. */
  static int percent(long sent, long size) {
    if (size <= 0) return sent > 0 ? 100 : 0;
    return (int) Math.max(0, Math.min(100, sent * 100 / size));
  }

  static String decimal(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** Percent-encodes one URL path segment (destination names end up in links). */
  static String pathSegment(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }
}
