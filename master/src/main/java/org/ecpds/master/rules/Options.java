package org.ecpds.master.rules;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A destination's or host's option text, as OpenECPDS writes it: {@code key = "value"} or
 * {@code key = value} lines, {@code #} comment lines, quoted values that may span lines (a {@code \"}
 * inside stands for a quote; other backslashes are kept, so regexes read naturally). Nothing after
 * the line {@code ###### END-OF-PROPERTIES ######} is read. Keys are looked up ignoring case.
 */
public final class Options {
  public static final Options EMPTY = new Options(Map.of(), Map.of());
  private static final String END = "###### END-OF-PROPERTIES ######";
  private static final Pattern KEY_LINE = Pattern.compile("([A-Za-z0-9_.\\-]+)\\s*=(.*)", Pattern.DOTALL);

  private final Map<String, String> values; // lower-case key -> value
  private final Map<String, String> keys; // lower-case key -> key as written

  private Options(Map<String, String> values, Map<String, String> keys) {
    this.values = values;
    this.keys = keys;
  }

  /** Throws IllegalArgumentException naming the line of the first problem. */
  public static Options parse(String text) {
    if (text == null || text.isBlank()) return EMPTY;
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> keys = new LinkedHashMap<>();
    Map<String, Integer> lineOf = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].trim();
      if (line.equals(END)) break;
      if (line.isEmpty() || line.startsWith("#")) continue;
      Matcher m = KEY_LINE.matcher(line);
      if (!m.matches()) throw problem(number, "expected key = value, found '" + line + "'");
      String key = m.group(1);
      String value = m.group(2).trim();
      if (value.startsWith("\"")) {
        StringBuilder quoted = new StringBuilder();
        String rest = value.substring(1);
        int close;
        while ((close = closingQuote(rest)) < 0) {
          quoted.append(rest).append('\n');
          if (++i >= lines.length) throw problem(number, "the quoted value of '" + key + "' is never closed");
          rest = lines[i];
        }
        quoted.append(rest, 0, close);
        String after = rest.substring(close + 1).trim();
        if (!after.isEmpty() && !after.startsWith("#")) {
          throw problem(i + 1, "unexpected text after the closing quote of '" + key + "': " + after);
        }
        value = quoted.toString().replace("\\\"", "\"");
      }
      String lower = key.toLowerCase(Locale.ROOT);
      Integer first = lineOf.putIfAbsent(lower, number);
      if (first != null) throw problem(number, "'" + key + "' is already set on line " + first);
      values.put(lower, value);
      keys.put(lower, key);
    }
    return new Options(Collections.unmodifiableMap(values), Collections.unmodifiableMap(keys));
  }

  private static int closingQuote(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '"') i++;
      else if (c == '"') return i;
    }
    return -1;
  }

  private static IllegalArgumentException problem(int line, String message) {
    return new IllegalArgumentException("line " + line + ": " + message);
  }

  /** The keys as written in the text, in order. */
  public Set<String> keys() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(keys.values()));
  }

  public boolean has(String key) {
    return values.containsKey(key.toLowerCase(Locale.ROOT));
  }

  public Optional<String> string(String key) {
    return Optional.ofNullable(values.get(key.toLowerCase(Locale.ROOT)));
  }

  public String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  /** yes/no or true/false, ignoring case. */
  public boolean bool(String key, boolean defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) return defaultValue;
    return switch (v.get().trim().toLowerCase(Locale.ROOT)) {
      case "yes", "true" -> true;
      case "no", "false" -> false;
      default -> throw invalid(key, v.get(), "yes, no, true or false");
    };
  }

  /** {@code 500ms}, {@code 30s}, {@code 2d}, {@code 1w2d}, plain milliseconds, or ISO {@code PT15M}. */
  public Duration duration(String key, Duration defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) return defaultValue;
    try {
      return DurationText.parse(v.get());
    } catch (IllegalArgumentException e) {
      throw invalid(key, v.get(), "a duration such as 500ms, 30s, 2d or PT15M");
    }
  }

  public int integer(String key, int min, int max, int defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) return defaultValue;
    int n;
    try {
      n = Integer.parseInt(v.get().trim());
    } catch (NumberFormatException e) {
      throw invalid(key, v.get(), "a whole number from " + min + " to " + max);
    }
    if (n < min || n > max) throw invalid(key, v.get(), "a whole number from " + min + " to " + max);
    return n;
  }

  private IllegalArgumentException invalid(String key, String value, String expected) {
    String written = keys.getOrDefault(key.toLowerCase(Locale.ROOT), key);
    return new IllegalArgumentException("option " + written + ": '" + value + "' is not " + expected);
  }
}
