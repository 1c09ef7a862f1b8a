package org.ecpds.master.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code (subject op value)} test of a selector line. Operators: {@code ==} equals (a full-match
 * regex when the value is wrapped in {@code {}}), {@code !=} the opposite, {@code .=} starts with,
 * {@code =.} ends with. The subject is a variable, or null when the rule tests an implied value
 * (an alias rule tests the target).
 */
record Condition(Placeholder subject, String op, String value, Pattern regex) {
  private static final List<String> OPERATORS = List.of("==", "!=", ".=", "=.");

  boolean matches(String actual) {
    return switch (op) {
      case "==" -> regex != null ? regex.matcher(actual).matches() : actual.equals(value);
      case "!=" -> regex != null ? !regex.matcher(actual).matches() : !actual.equals(value);
      case ".=" -> actual.startsWith(value);
      default -> actual.endsWith(value);
    };
  }

  /** The conditions at the start of {@code line}, and the rest of the line after them. */
  record Parsed(List<Condition> conditions, String rest) {}

  static Parsed parseLeading(String line, Set<String> variables, boolean subjectRequired) {
    List<Condition> conditions = new ArrayList<>();
    int i = skipSpaces(line, 0);
    while (i < line.length() && line.charAt(i) == '(') {
      int[] end = new int[1];
      conditions.add(parseOne(line, i + 1, variables, subjectRequired, end));
      i = skipSpaces(line, end[0]);
    }
    return new Parsed(conditions, line.substring(i).trim());
  }

  private static Condition parseOne(String line, int start, Set<String> variables, boolean subjectRequired, int[] end) {
    int i = skipSpaces(line, start);
    Placeholder subject = null;
    if (i < line.length() && line.charAt(i) == '$') {
      TemplateText.Scan scan = TemplateText.scan(line, i, variables);
      subject = scan.placeholder();
      i = skipSpaces(line, scan.end());
    } else if (subjectRequired) {
      throw new IllegalArgumentException("a condition must start with a variable, e.g. ($destination[name]==archive)");
    }
    String op = i + 2 <= line.length() ? line.substring(i, i + 2) : "";
    if (!OPERATORS.contains(op)) {
      throw new IllegalArgumentException("expected one of == != .= =. in condition at '" + line.substring(start - 1) + "'");
    }
    i = skipSpaces(line, i + 2);
    int close;
    String value;
    Pattern regex = null;
    if (i < line.length() && line.charAt(i) == '{') {
      int brace = TemplateText.closingBrace(line, i);
      if (brace < 0) throw new IllegalArgumentException("missing '}' after regex in condition at '" + line.substring(start - 1) + "'");
      value = line.substring(i + 1, brace);
      close = skipSpaces(line, brace + 1);
      if (close >= line.length() || line.charAt(close) != ')') throw new IllegalArgumentException("missing ')' after {" + value + "}");
      if (op.equals("==") || op.equals("!=")) regex = compile(value);
      else value = "{" + value + "}";
    } else {
      close = line.indexOf(')', i);
      if (close < 0) throw new IllegalArgumentException("missing ')' in condition at '" + line.substring(start - 1) + "'");
      value = line.substring(i, close).trim();
    }
    end[0] = close + 1;
    return new Condition(subject, op, value, regex);
  }

  static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad regex {" + regex + "}: " + e.getDescription());
    }
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }
}
