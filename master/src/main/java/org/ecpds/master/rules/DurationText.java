package org.ecpds.master.rules;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.ecpds.common.config.Durations;

/** Durations as users write them in options: OpenECPDS units ({@code 2d}, {@code 500ms}) or ISO-8601 ({@code PT15M}). */
public final class DurationText {
  private DurationText() {}

  /** A non-negative duration. */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.regionMatches(true, 0, "P", 0, 1)) {
      try {
        Duration d = Duration.parse(t);
        if (d.isNegative()) throw new IllegalArgumentException("negative duration '" + text + "'");
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("invalid duration '" + text + "' (use e.g. 2d, 12h, 30m, 500ms or PT15M)");
      }
    }
    return Durations.parse(t);
  }

  /** A shift such as {@code -1d} or {@code +2h}: a duration with an optional sign. */
  public static Duration parseSigned(String text) {
    String t = text == null ? "" : text.trim();
    if (t.startsWith("-")) return parse(t.substring(1)).negated();
    if (t.startsWith("+")) return parse(t.substring(1));
    return parse(t);
  }
}
