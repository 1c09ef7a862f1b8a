package org.ecpds.master.acquisition;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.ecpds.master.rules.TemplateText;

/**
 * A host's Directory field read as acquisition rules: one rule per line,
 * {@code [opt=v;opt2=v]/remote/path/$date/{java-regex}}. Blank lines and lines whose first non-blank
 * character is {@code #} are skipped. The last path segment selects names: a {@code {regex}} (taken
 * literally, no {@code $} tokens inside, must match the whole name), a name (tokens allowed, compared
 * exactly), or nothing after a trailing {@code /} (every name).
 */
public final class DirectoryRules {
  private final List<DirectoryRule> rules;

  private DirectoryRules(List<DirectoryRule> rules) {
    this.rules = rules;
  }

  public List<DirectoryRule> rules() {
    return rules;
  }

  /** Throws {@link DirectoryRuleException} with every problem of the field and of the host's options. */
  public static DirectoryRules parse(String field, Map<String, String> hostOptions) {
    List<RuleProblem> problems = new ArrayList<>();
    Map<String, AcquisitionOptions.Source> host = AcquisitionOptions.fromHost(hostOptions, problems);
    // host options are checked once, on their own, so their problems are not repeated per line
    List<RuleProblem> hostProblems = new ArrayList<>();
    AcquisitionOptions.of(host, hostProblems);
    problems.addAll(hostProblems);
    List<DirectoryRule> rules = new ArrayList<>();
    String[] lines = (field == null ? "" : field).split("\r?\n", -1);
    for (int n = 1; n <= lines.length; n++) {
      DirectoryRule rule = parseLine(n, lines[n - 1], host, problems, hostProblems);
      if (rule != null) rules.add(rule);
    }
    if (!problems.isEmpty()) throw new DirectoryRuleException(problems);
    return new DirectoryRules(List.copyOf(rules));
  }

  /** Validation when a host is saved. */
  public static void check(String field, Map<String, String> hostOptions) {
    parse(field, hostOptions);
  }

  private static DirectoryRule parseLine(int n, String line, Map<String, AcquisitionOptions.Source> host,
      List<RuleProblem> problems, List<RuleProblem> hostProblems) {
    int i = skipSpaces(line, 0);
    if (i >= line.length() || line.charAt(i) == '#') return null;
    if (line.startsWith("$(", i)) {
      problems.add(new RuleProblem(n, i + 1, null, "script mode $(...) is not supported; write the rules as lines"));
      return null;
    }
    int before = problems.size();
    Map<String, AcquisitionOptions.Source> sources = new LinkedHashMap<>(host);
    if (line.charAt(i) == '[') {
      int close = TemplateText.closingBracket(line, i);
      if (close < 0) {
        problems.add(new RuleProblem(n, i + 1, null, "missing ']' after the line's options"));
        return null;
      }
      readOptions(n, line, i + 1, close, sources, problems);
      i = skipSpaces(line, close + 1);
    }
    String rest = line.substring(i).stripTrailing();
    int restColumn = i + 1;
    if (rest.isEmpty()) {
      problems.add(new RuleProblem(n, restColumn, null, "expected a remote path after the options, e.g. /data/$date/{.*\\.grib2}"));
      return null;
    }
    List<RuleProblem> lineProblems = new ArrayList<>();
    AcquisitionOptions options = AcquisitionOptions.of(sources, lineProblems);
    lineProblems.removeAll(hostProblems); // a bad host option is reported once, not on every line
    problems.addAll(lineProblems);
    String directoryText;
    int directoryColumn = restColumn;
    Pattern regex = null;
    RuleTemplate name = null;
    int brace = rest.indexOf("/{");
    int open = brace >= 0 ? brace + 1 : (rest.startsWith("{") ? 0 : -1);
    if (open >= 0) {
      int end = TemplateText.closingBrace(rest, open);
      if (end < 0) {
        problems.add(new RuleProblem(n, restColumn + open, null, "missing '}' after the name regex"));
        return null;
      }
      if (end != rest.length() - 1) {
        problems.add(new RuleProblem(n, restColumn + end + 1, null, "unexpected text after the name regex; the {regex} must be the last path segment"));
      }
      String body = rest.substring(open + 1, end);
      try {
        regex = AcquisitionOptions.compile(body);
      } catch (IllegalArgumentException e) {
        problems.add(new RuleProblem(n, restColumn + open, null, e.getMessage()));
      }
      directoryText = open == 0 ? "" : rest.substring(0, open - 1);
      if (directoryText.isEmpty() && open == 1) directoryText = "/";
    } else {
      int slash = rest.lastIndexOf('/');
      directoryText = slash < 0 ? "" : (slash == 0 ? "/" : rest.substring(0, slash));
      String last = rest.substring(slash + 1);
      if (!last.isEmpty()) {
        name = RuleTemplate.parse(last, restColumn + slash + 1, RuleTemplate.IN_DIRECTORY, "a rule's path", options.date(),
            (column, message) -> problems.add(new RuleProblem(n, column, null, message)));
      }
    }
    RuleTemplate directory = RuleTemplate.parse(directoryText, directoryColumn, RuleTemplate.IN_DIRECTORY, "a rule's path",
        options.date(), (column, message) -> problems.add(new RuleProblem(n, column, null, message)));
    if (problems.size() > before) return null;
    return new DirectoryRule(n, line.strip(), directory, regex, name, options);
  }

  private static void readOptions(int n, String line, int from, int to, Map<String, AcquisitionOptions.Source> sources,
      List<RuleProblem> problems) {
    int start = from;
    int depth = 0;
    for (int i = from; i <= to; i++) {
      char c = i < to ? line.charAt(i) : ';';
      if (c == '[') depth++;
      else if (c == ']') depth--;
      else if (c == ';' && depth == 0) {
        readOption(n, line, start, i, sources, problems);
        start = i + 1;
      }
    }
  }

  private static void readOption(int n, String line, int from, int to, Map<String, AcquisitionOptions.Source> sources,
      List<RuleProblem> problems) {
    String text = line.substring(from, to);
    if (text.isBlank()) return;
    int keyStart = skipSpaces(line, from);
    int eq = text.indexOf('=');
    if (eq < 0) {
      problems.add(new RuleProblem(n, keyStart + 1, null, "option '" + text.strip() + "' needs a value, e.g. fileage=<<6h"));
      return;
    }
    String key = text.substring(0, eq).strip();
    String lower = key.toLowerCase(Locale.ROOT);
    if (!AcquisitionOptions.isKnown(lower)) {
      problems.add(new RuleProblem(n, keyStart + 1, null, "unknown option '" + key + "'"));
      return;
    }
    int valueStart = skipSpaces(line, from + eq + 1);
    String value = line.substring(Math.min(valueStart, to), to).stripTrailing();
    sources.put(lower, new AcquisitionOptions.Source(key, value, n, valueStart + 1, null));
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }
}
