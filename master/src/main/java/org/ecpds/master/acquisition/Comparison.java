package org.ecpds.master.acquisition;

import java.util.function.ToLongFunction;
import org.ecpds.master.rules.DurationText;
import org.ecpds.master.rules.SizeText;

/**
 * A {@code filesize} or {@code fileage} test: an operator ({@code == != >> << >= <=}) and a value
 * (bytes, or milliseconds for an age). A single {@code <} or {@code >} reads as {@code <<} or
 * {@code >>} (features.md writes {@code fileage=<6h}); a value without an operator is refused.
 */
public record Comparison(String op, long value) {
  private static final String[] OPERATORS = {"==", "!=", ">>", "<<", ">=", "<=", ">", "<"};

  public boolean test(long actual) {
    return switch (op) {
      case "==" -> actual == value;
      case "!=" -> actual != value;
      case ">>" -> actual > value;
      case "<<" -> actual < value;
      case ">=" -> actual >= value;
      default -> actual <= value;
    };
  }

  /** {@code <=10MB}, {@code >>256k}. */
  static Comparison size(String text) {
    return parse(text, "filesize", "a size such as 10MB or 256k", SizeText::parse);
  }

  /** {@code <<6h}, {@code >=PT15M}; the value in milliseconds. */
  static Comparison age(String text) {
    return parse(text, "fileage", "a duration such as 6h, 500ms, 2d or PT15M", t -> DurationText.parse(t).toMillis());
  }

  private static Comparison parse(String text, String key, String expected, ToLongFunction<String> value) {
    String t = text.trim();
    if (t.startsWith("$(") || t.contains("$size") || t.contains("$age")) {
      throw new IllegalArgumentException(key + " scripts are not supported; use an operator and a value, e.g. " + key + "=<<6h");
    }
    for (String op : OPERATORS) {
      if (t.startsWith(op)) {
        String rest = t.substring(op.length()).trim();
        try {
          return new Comparison(op.length() == 1 ? op + op : op, value.applyAsLong(rest));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(key + ": '" + rest + "' is not " + expected);
        }
      }
    }
    throw new IllegalArgumentException(key + " '" + text + "' needs an operator first: == != >> << >= <= (e.g. " + key + "=>>0)");
  }

  @Override
  public String toString() {
    return op + value;
  }
}
