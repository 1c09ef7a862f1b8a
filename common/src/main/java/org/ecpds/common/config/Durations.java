package org.ecpds.common.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OpenECPDS-style durations: "2d", "90m", "1w2d", "30s", "500ms" or plain milliseconds. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|w|d|h|m|s)");

  private Durations() {}

  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase();
    if (t.isEmpty()) throw new IllegalArgumentException("empty duration");
    try {
      return Duration.ofMillis(millis(text, t));
    } catch (ArithmeticException | NumberFormatException e) {
      // exact arithmetic: 106751991167d must be refused, not wrap around into a negative time
      throw new IllegalArgumentException("duration '" + text + "' is too large");
    }
  }

  private static long millis(String text, String t) {
    if (t.matches("\\d+")) return Long.parseLong(t);
    Matcher m = PART.matcher(t);
    long ms = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) break;
      long n = Long.parseLong(m.group(1));
      long unit = switch (m.group(2)) {
        case "w" -> 7 * 86_400_000L;
        case "d" -> 86_400_000L;
        case "h" -> 3_600_000L;
        case "m" -> 60_000L;
        case "s" -> 1_000L;
        default -> 1L;
      };
      ms = Math.addExact(ms, Math.multiplyExact(n, unit));
      end = m.end();
    }
    if (end != t.length()) {
      throw new IllegalArgumentException("invalid duration '" + text + "' (use e.g. 2d, 12h, 30m, 10s, 1w)");
    }
    return ms;
  }

  /** The shortest text {@link #parse} reads back as the same duration: "1d", "36h", "90s", "1500ms". */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) return "0s";
    long[] units = {7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"w", "d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms % units[i] == 0) return ms / units[i] + names[i];
    }
    return ms + "ms";
  }
}
