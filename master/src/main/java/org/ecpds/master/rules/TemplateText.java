package org.ecpds.master.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits rule text into literal text and {@code $variable[arg]} references. The variable name is the
 * longest known name at the {@code $}, so {@code $dates} reads as {@code $date} followed by "s", as
 * the plain text replacement of earlier templates did.
 */
public final class TemplateText {
  /** Literal text (a String) or a {@link Placeholder}. */
  public static List<Object> split(String text, Set<String> known) {
    List<Object> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '$') {
        literal.append(c);
        i++;
        continue;
      }
      if (!literal.isEmpty()) {
        parts.add(literal.toString());
        literal.setLength(0);
      }
      Scan scan = scan(text, i, known);
      parts.add(scan.placeholder);
      i = scan.end;
    }
    if (!literal.isEmpty()) parts.add(literal.toString());
    return parts;
  }

  /** A reference starting at {@code text[start] == '$'}. */
  public static Scan scan(String text, int start, Set<String> known) {
    String name = null;
    for (String k : known) {
      if (text.startsWith(k, start + 1) && (name == null || k.length() > name.length())) name = k;
    }
    if (name == null) {
      int e = start + 1;
      while (e < text.length() && Character.isLetterOrDigit(text.charAt(e))) e++;
      String word = text.substring(start, e);
      throw new IllegalArgumentException(word.equals("$") ? "'$' must start a variable name" : "unknown variable " + word);
    }
    int end = start + 1 + name.length();
    if (end < text.length() && text.charAt(end) == '[') {
      int close = closingBracket(text, end);
      if (close < 0) throw new IllegalArgumentException("missing ']' after $" + name + text.substring(end));
      return new Scan(new Placeholder(name, text.substring(end + 1, close)), close + 1);
    }
    return new Scan(new Placeholder(name, null), end);
  }

  /** Braces nest, as in {@code {a{2}}}; a backslash escapes the next character. -1 when never closed. */
  public static int closingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') i++;
      else if (c == '{') depth++;
      else if (c == '}' && --depth == 0) return i;
    }
    return -1;
  }

  /** Brackets nest, as in {@code $date[datesource=$target[0..8]]}. -1 when never closed. */
  public static int closingBracket(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '[') depth++;
      else if (c == ']' && --depth == 0) return i;
    }
    return -1;
  }

  public record Scan(Placeholder placeholder, int end) {}

  private TemplateText() {}
}
