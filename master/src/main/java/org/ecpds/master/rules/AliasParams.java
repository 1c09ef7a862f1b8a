package org.ecpds.master.rules;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code key=value;key=value} settings of one alias rule line. Fields are null when not given, so
 * a conditional line can be laid over the unconditional ones with {@link #over}.
 */
record AliasParams(Pattern pattern, Pattern ignore, Integer priority, Duration lifetime, Boolean asap, Duration delay,
    Boolean event, String target, Map<String, String> dateOptions, String metadataKey, Pattern metadataRegex,
    Map<String, Integer> lineOf) {
  static final Set<String> VARIABLES = Set.of("name", "path", "parent", "destination", "alias", "date", "metadata", "target");
  static final AliasParams NONE = new AliasParams(null, null, null, null, null, null, null, null, Map.of(), null, null, Map.of());

  static AliasParams parse(String text, int line) {
    Builder b = new Builder();
    for (String piece : text.split(";")) {
      if (piece.isBlank()) continue;
      int eq = piece.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException("expected key=value, found '" + piece.trim() + "'");
      String key = piece.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (b.lineOf.put(key, line) != null) throw new IllegalArgumentException("'" + key + "' is given twice");
      b.set(key, piece.substring(eq + 1).trim());
    }
    AliasParams p = b.build();
    p.dateToken();
    return p;
  }

  /** Collects one line's settings, validating each value as it is set. */
  private static final class Builder {
    Pattern pattern, ignore, metadataRegex;
    Integer priority;
    Duration lifetime, delay;
    Boolean asap, event;
    String target, metadataKey;
    final Map<String, String> dateOptions = new HashMap<>();
    final Map<String, Integer> lineOf = new HashMap<>();

    void set(String key, String v) {
      switch (key) {
        case "pattern" -> pattern = regex(key, v);
        case "ignore" -> ignore = regex(key, v);
        case "priority" -> priority = priority(v);
        case "lifetime" -> lifetime = duration(key, v);
        case "delay" -> delay = duration(key, v);
        case "asap" -> asap = bool(key, v);
        case "event" -> event = bool(key, v);
        case "target" -> target = checkedTarget(v);
        case "metadata" -> {
          int colon = v.indexOf(':');
          if (colon <= 0) throw new IllegalArgumentException("metadata must be key:regex, e.g. metadata=stream:oper|enfo");
          metadataKey = v.substring(0, colon).trim();
          metadataRegex = regex(key, v.substring(colon + 1));
        }
        default -> {
          if (!DateToken.isOption(key)) {
            throw new IllegalArgumentException("unknown key '" + key + "' (use pattern, ignore, priority, lifetime, asap, delay, event, "
                + "target, metadata, dateformat, datedelta, datesource, datepattern)");
          }
          DateToken.DEFAULT.with(key, v);
          dateOptions.put(key, v);
        }
      }
    }

    AliasParams build() {
      return new AliasParams(pattern, ignore, priority, lifetime, asap, delay, event, target, Map.copyOf(dateOptions),
          metadataKey, metadataRegex, Map.copyOf(lineOf));
    }
  }

  /** This line's settings, falling back to {@code base} for what it does not set. */
  AliasParams over(AliasParams base) {
    Map<String, String> dates = new HashMap<>(base.dateOptions);
    dates.putAll(dateOptions);
    Map<String, Integer> lines = new HashMap<>(base.lineOf);
    lines.putAll(lineOf);
    boolean ownMetadata = metadataKey != null;
    AliasParams merged = new AliasParams(or(pattern, base.pattern), or(ignore, base.ignore), or(priority, base.priority),
        or(lifetime, base.lifetime), or(asap, base.asap), or(delay, base.delay), or(event, base.event), or(target, base.target),
        dates, ownMetadata ? metadataKey : base.metadataKey, ownMetadata ? metadataRegex : base.metadataRegex, lines);
    merged.dateToken();
    return merged;
  }

  /** Same as {@link #over} but a clash is an error: the unconditional lines together form one setting list. */
  AliasParams alongside(AliasParams other) {
    for (var e : lineOf.entrySet()) {
      if (other.lineOf.containsKey(e.getKey())) {
        throw new IllegalArgumentException("line " + e.getValue() + ": '" + e.getKey() + "' is already set on line " + other.lineOf.get(e.getKey()));
      }
    }
    return over(other);
  }

  DateToken dateToken() {
    DateToken t = DateToken.DEFAULT;
    for (var e : dateOptions.entrySet()) t = t.with(e.getKey(), e.getValue());
    return t.complete();
  }

  List<Object> targetParts() {
    return TemplateText.split(target, VARIABLES);
  }

  private static String checkedTarget(String v) {
    if (v.isEmpty()) throw new IllegalArgumentException("target must not be empty");
    for (Object part : TemplateText.split(v, VARIABLES)) {
      if (part instanceof Placeholder p) AliasVariables.check(p);
    }
    return v;
  }

  private static <T> T or(T a, T b) {
    return a != null ? a : b;
  }

  private static Pattern regex(String key, String v) {
    try {
      return Condition.compile(v.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage());
    }
  }

  private static Integer priority(String v) {
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n <= 99) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("priority must be a whole number from 0 to 99, not '" + v + "'");
  }

  private static Duration duration(String key, String v) {
    try {
      return DurationText.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be a duration such as 30m, 2h, 1d or PT15M, not '" + v + "'");
    }
  }

  private static Boolean bool(String key, String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "yes", "true" -> true;
      case "no", "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be yes or no, not '" + v + "'");
    };
  }
}
