package org.ecpds.master.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code $date} reference: the current time (or a date read from a slice of the target) shifted by
 * {@code datedelta} and formatted with {@code dateformat}. Always UTC, so a path does not depend on
 * where the master runs.
 */
public final class DateToken {
  static final String DEFAULT_FORMAT = "yyyyMMdd";
  private static final Set<String> OPTIONS = Set.of("dateformat", "datedelta", "datesource", "datepattern");

  private final String format;
  private final DateTimeFormatter formatter;
  private final Duration delta;
  private final TargetSlice source;
  private final String sourcePattern;
  private final DateTimeFormatter sourceParser;

  public static final DateToken DEFAULT = new DateToken(DEFAULT_FORMAT, Duration.ZERO, null, null);

  private DateToken(String format, Duration delta, TargetSlice source, String sourcePattern) {
    this.format = format;
    this.formatter = formatter("dateformat", format);
    this.delta = delta;
    this.source = source;
    this.sourcePattern = sourcePattern; // null: not given, read as yyyyMMdd
    this.sourceParser = source == null ? null : parser(sourcePattern == null ? DEFAULT_FORMAT : sourcePattern);
  }

  /** Throws when the options only make sense together and one is missing. */
  DateToken complete() {
    if (sourcePattern != null && source == null) throw new IllegalArgumentException("datepattern needs a datesource, e.g. datesource=$target[0..8]");
    return this;
  }

  /** Returns a copy with the given option (one of dateformat, datedelta, datesource, datepattern) changed. */
  public DateToken with(String key, String value) {
    return switch (key.toLowerCase()) {
      case "dateformat" -> new DateToken(value, delta, source, sourcePattern);
      case "datedelta" -> new DateToken(format, shift(value), source, sourcePattern);
      case "datesource" -> new DateToken(format, delta, sourceSlice(value), sourcePattern);
      case "datepattern" -> new DateToken(format, delta, source, value).checkPattern();
      default -> throw new IllegalArgumentException("unknown $date option '" + key + "' (use dateformat, datedelta, datesource, datepattern)");
    };
  }

  public static boolean isOption(String key) {
    return OPTIONS.contains(key.toLowerCase());
  }

  /** {@code $date[dateformat=..,datedelta=..]}: the bracket options override {@code defaults} one by one. */
  public static DateToken of(String arg, DateToken defaults) {
    DateToken t = defaults;
    if (arg == null) return t;
    for (String option : splitOptions(arg)) {
      int eq = option.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException("$date option '" + option.trim() + "' needs a value (e.g. dateformat=yyyy/MM/dd)");
      t = t.with(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
    }
    return t.complete();
  }

  private DateToken checkPattern() {
    parser(sourcePattern);
    return this;
  }

  public String resolve(String target, Instant now) {
    return resolve(target, now, ZoneOffset.UTC);
  }

  /** As {@link #resolve(String, Instant)}, with dates read and written in {@code zone} (acquisition uses the clock's zone). */
  public String resolve(String target, Instant now, ZoneId zone) {
    Instant base = now;
    if (source != null) {
      String text = source.apply(target);
      try {
        base = LocalDateTime.parse(text, sourceParser).atZone(zone).toInstant();
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("cannot read a date from '" + text + "' with datepattern "
            + (sourcePattern == null ? DEFAULT_FORMAT : sourcePattern));
      }
    }
    return formatter.withZone(zone).format(base.plus(delta));
  }

  private static Duration shift(String text) {
    try {
      return DurationText.parseSigned(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid datedelta '" + text + "' (use e.g. -1d, +6h)");
    }
  }

  private static TargetSlice sourceSlice(String text) {
    String t = text.trim();
    if (!t.startsWith("$target")) throw new IllegalArgumentException("datesource must be $target or a slice such as $target[2..12], not '" + text + "'");
    String rest = t.substring("$target".length());
    if (rest.isEmpty()) return TargetSlice.WHOLE;
    if (!rest.startsWith("[") || !rest.endsWith("]")) throw new IllegalArgumentException("invalid datesource '" + text + "'");
    return TargetSlice.parse(rest.substring(1, rest.length() - 1));
  }

  static DateTimeFormatter formatter(String key, String pattern) {
    try {
      return DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad " + key + " '" + pattern + "': " + e.getMessage());
    }
  }

  /** Missing fields default to the start of the period, so {@code yyyyMMdd} reads as midnight. */
  private static DateTimeFormatter parser(String pattern) {
    formatter("datepattern", pattern);
    return new DateTimeFormatterBuilder().appendPattern(pattern)
        .parseDefaulting(ChronoField.MONTH_OF_YEAR, 1).parseDefaulting(ChronoField.DAY_OF_MONTH, 1)
        .parseDefaulting(ChronoField.HOUR_OF_DAY, 0).parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
        .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0).toFormatter();
  }

  /** Options are comma separated; commas inside brackets belong to a datesource slice. */
  private static List<String> splitOptions(String arg) {
    List<String> out = new ArrayList<>();
    int depth = 0, start = 0;
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (c == '[') depth++;
      else if (c == ']') depth--;
      else if (c == ',' && depth == 0) {
        out.add(arg.substring(start, i));
        start = i + 1;
      }
    }
    out.add(arg.substring(start));
    return out;
  }
}
