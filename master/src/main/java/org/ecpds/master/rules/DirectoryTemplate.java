package org.ecpds.master.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * A host's dissemination directory: one path template, or several selector lines
 * {@code (cond)(cond) path} of which the line with the most matching conditions wins and a line
 * without conditions is the default. Lines starting with {@code #} are comments.
 *
 * <p>When the chosen path does not use the full target ({@code $target}, {@code $dataTransfer[target]}
 * or {@code $dataTransfer[name]}) the target is appended: directly if the path is empty or ends in
 * {@code /}, otherwise after a {@code /}. This keeps what {@code $destination/$date} always meant.
 */
public final class DirectoryTemplate {
  private final List<Line> lines;

  private record Line(int number, List<Condition> conditions, List<Object> path, boolean usesTarget) {}

  private DirectoryTemplate(List<Line> lines) {
    this.lines = lines;
  }

  /** Parses and validates; errors name the line, e.g. {@code line 2: unknown field $dataFile[foo]}. */
  public static DirectoryTemplate parse(String template) {
    List<Line> lines = new ArrayList<>();
    String[] raw = (template == null ? "" : template).split("\r?\n", -1);
    Line fallback = null;
    for (int n = 1; n <= raw.length; n++) {
      String text = raw[n - 1].trim();
      if (text.isEmpty() || text.startsWith("#")) continue;
      Line line;
      try {
        line = parseLine(n, text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + n + ": " + e.getMessage());
      }
      if (line.conditions.isEmpty()) {
        if (fallback != null) {
          throw new IllegalArgumentException("line " + n + ": a second line without conditions (the default is line " + fallback.number + ")");
        }
        fallback = line;
      }
      lines.add(line);
    }
    if (lines.isEmpty()) lines.add(new Line(1, List.of(), List.of(), false));
    return new DirectoryTemplate(List.copyOf(lines));
  }

  /** Validation for when a host is saved; throws IllegalArgumentException naming the line and the problem. */
  public static void check(String template) {
    parse(template);
  }

  /** The remote path for one transfer. */
  public String resolve(TemplateContext context) {
    Line chosen = choose(context);
    StringBuilder out = new StringBuilder();
    try {
      for (Object part : chosen.path) {
        out.append(part instanceof Placeholder p ? TemplateVariables.resolve(p, context, true) : (String) part);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("directory line " + chosen.number + ": " + e.getMessage());
    }
    String path = out.toString();
    String target = context.transfer().target();
    if (!chosen.usesTarget) {
      path = path.isEmpty() || path.endsWith("/") ? path + target : path + "/" + target;
    }
    if (TargetParts.hasDotDot(path)) {
      throw new IllegalArgumentException("directory line " + chosen.number + " gives '" + path + "', which contains a '..' segment");
    }
    return path;
  }

  private Line choose(TemplateContext context) {
    Line best = null;
    for (Line line : lines) {
      if ((best == null || line.conditions.size() > best.conditions.size()) && allMatch(line, context)) best = line;
    }
    if (best == null) {
      throw new IllegalArgumentException("no directory line matches transfer '" + context.transfer().target()
          + "' of destination " + context.destination().name() + " and there is no default line");
    }
    return best;
  }

  private static boolean allMatch(Line line, TemplateContext context) {
    for (Condition c : line.conditions) {
      if (!c.matches(TemplateVariables.resolve(c.subject(), context, false))) return false;
    }
    return true;
  }

  private static Line parseLine(int number, String text) {
    Condition.Parsed parsed = Condition.parseLeading(text, TemplateVariables.NAMES, true);
    for (Condition c : parsed.conditions()) TemplateVariables.check(c.subject());
    List<Object> path = TemplateText.split(parsed.rest(), TemplateVariables.NAMES);
    boolean usesTarget = false;
    for (Object part : path) {
      if (part instanceof Placeholder p) {
        TemplateVariables.check(p);
        usesTarget |= isWholeTarget(p);
      }
    }
    return new Line(number, parsed.conditions(), path, usesTarget);
  }

  private static boolean isWholeTarget(Placeholder p) {
    return (p.name().equals("target") && p.arg() == null)
        || (p.name().equals("dataTransfer") && (p.arg().equals("target") || p.arg().equals("name")));
  }
}
