package org.ecpds.master.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rule attached to one alias (OpenECPDS {@code alias.pattern}): which data files of the source
 * destination are copied to the alias destination, under which target, with which settings.
 *
 * <p>Lines without a condition ({@code pattern=.*\.grib;priority=10}) together form the base
 * settings. Lines {@code (op value)... settings} are tried in order; the first whose conditions all
 * match the target is laid over the base. {@code pattern}, {@code ignore} and {@code metadata}
 * (after that) decide whether the alias applies at all. An empty rule copies every file unchanged.
 */
public final class AliasRule {
  public static final AliasRule UNCONDITIONAL = new AliasRule(AliasParams.NONE, List.of());

  private record Branch(int line, List<Condition> conditions, AliasParams params) {}

  private final AliasParams base;
  private final List<Branch> branches;

  private AliasRule(AliasParams base, List<Branch> branches) {
    this.base = base;
    this.branches = branches;
  }

  /** Validates the whole rule; errors name the line and the key, e.g. {@code line 2: priority must be ...}. */
  public static AliasRule parse(String spec) {
    if (spec == null || spec.isBlank()) return UNCONDITIONAL;
    String[] lines = spec.split("\r?\n", -1);
    AliasParams base = AliasParams.NONE;
    List<Integer> conditional = new ArrayList<>();
    for (int i = 1; i <= lines.length; i++) {
      int n = i;
      String text = lines[n - 1].trim();
      if (text.isEmpty() || text.startsWith("#")) continue;
      if (text.startsWith("(")) conditional.add(n);
      else base = inLine(n, () -> AliasParams.parse(text, n)).alongside(base);
    }
    List<Branch> branches = new ArrayList<>();
    for (int n : conditional) {
      AliasParams b = base;
      branches.add(inLine(n, () -> {
        Condition.Parsed parsed = Condition.parseLeading(lines[n - 1], AliasParams.VARIABLES, false);
        for (Condition c : parsed.conditions()) {
          if (c.subject() != null) AliasVariables.check(c.subject());
        }
        return new Branch(n, parsed.conditions(), AliasParams.parse(parsed.rest(), n).over(b));
      }));
    }
    return new AliasRule(base, List.copyOf(branches));
  }

  /** Empty when the alias does not apply to this data file. */
  public Optional<AliasOverride> evaluate(String target, Map<String, String> metadata, String sourceDestination,
      String aliasDestination, Instant now) {
    Map<String, String> meta = metadata == null ? Map.of() : metadata;
    AliasParams p = base;
    for (Branch b : branches) {
      if (matches(b, new AliasVariables.Subject(target, meta, sourceDestination, aliasDestination, now, base.dateToken()))) {
        p = b.params;
        break;
      }
    }
    if (p.pattern() != null && !p.pattern().matcher(target).matches()) return Optional.empty();
    if (p.ignore() != null && p.ignore().matcher(target).matches()) return Optional.empty();
    if (p.metadataKey() != null) {
      String v = meta.get(p.metadataKey());
      if (v == null || !p.metadataRegex().matcher(v).matches()) return Optional.empty();
    }
    AliasVariables.Subject subject = new AliasVariables.Subject(target, meta, sourceDestination, aliasDestination, now, p.dateToken());
    String rewritten = p.target() == null ? target : rewrite(p, subject);
    return Optional.of(new AliasOverride(rewritten, p.priority(), p.lifetime(), p.asap(), p.delay(), p.event()));
  }

  private static boolean matches(Branch b, AliasVariables.Subject s) {
    for (Condition c : b.conditions) {
      String actual = c.subject() == null ? s.target() : AliasVariables.resolve(c.subject(), s, false);
      if (!c.matches(actual)) return false;
    }
    return true;
  }

  /** An empty {@code $parent} takes the {@code /} after it along, so {@code $parent/grib/$name} works at the top level. */
  private static String rewrite(AliasParams p, AliasVariables.Subject s) {
    StringBuilder out = new StringBuilder();
    boolean dropSlash = false;
    for (Object part : p.targetParts()) {
      if (part instanceof Placeholder ph) {
        String v = AliasVariables.resolve(ph, s, true);
        out.append(v);
        dropSlash = ph.name().equals("parent") && v.isEmpty();
      } else {
        String text = (String) part;
        out.append(dropSlash && text.startsWith("/") ? text.substring(1) : text);
        dropSlash = false;
      }
    }
    String result = out.toString();
    String problem = TargetParts.relativePathProblem(result);
    if (problem != null) {
      throw new IllegalArgumentException("alias target '" + p.target() + "' gives '" + result + "' for '" + s.target()
          + "', which " + problem);
    }
    return result;
  }

  private static <T> T inLine(int n, Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("line " + n + ": " + e.getMessage());
    }
  }
}
