package org.ecpds.master.acquisition;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ecpds.master.rules.DateToken;
import org.ecpds.master.rules.DurationText;

/**
 * The options of one rule line: the host's {@code acquisition.*} options overridden by the line's
 * {@code [key=value;...]}. Keys ignore case. The options read here are typed and checked; the ones
 * the mover's listing uses (systemKey, wildcardFilter, ...) are kept as text in {@link #raw()}.
 */
public record AcquisitionOptions(DateToken date, boolean useSymlink, Comparison filesize, Comparison fileage,
    RuleTemplate target, String metadata, Duration lifetime, int priority, boolean standby, boolean noRetrieval,
    boolean deleteOriginal, String groupBy, Action action, boolean uniqueByTargetOnly, boolean uniqueByNameAndTime,
    boolean requeueOnUpdate, boolean requeueOnSameSize, Pattern tmpPattern, Map<String, String> raw) {

  public static final String HOST_PREFIX = "acquisition.";
  public static final String DEFAULT_GROUP_BY = "ACQ_{destination}_{host}";
  public static final String DEFAULT_TMP_PATTERN = "(^\\.)|(\\.tmp$)";

  public enum Action { QUEUE, DELETE }

  /** Read and checked here. */
  static final Set<String> TYPED = Set.of("dateformat", "datedelta", "usesymlink", "filesize", "fileage", "target",
      "metadata", "lifetime", "priority", "standby", "noretrieval", "deleteoriginal", "groupby", "action",
      "uniquebytargetonly", "uniquebynameandtime", "requeueonupdate", "requeueonsamesize", "tmppattern");
  /** Accepted and passed on (to the mover's listing or later stages) without being interpreted here. */
  static final Set<String> PASSED_ON = Set.of("onlyvalidtime", "removeparameters", "wildcardfilter", "regexpattern",
      "systemkey", "regexformat", "defaultdateformat", "recentdateformat", "serverlanguagecode", "shortmonthnames",
      "servertimezoneid", "listsynchronous", "listparallel", "listmaxthreads", "listmaxwaiting", "transfergroup",
      "event", "payloadextension", "requeueonfailure", "skippostretrievalsizecheckpattern", "usetargetasuniquename",
      "maximumduration", "interruptslow");

  /** One option value and where it was written: a line and column of the Directory field, or a host option. */
  record Source(String key, String value, int line, int column, String hostOption) {
    void report(java.util.List<RuleProblem> problems, int offset, String message) {
      if (hostOption != null) problems.add(new RuleProblem(0, offset + 1, hostOption, message));
      else problems.add(new RuleProblem(line, column + offset, null, message));
    }
  }

  static boolean isKnown(String lowerKey) {
    return TYPED.contains(lowerKey) || PASSED_ON.contains(lowerKey) || lowerKey.equals("requeueon");
  }

  /** The {@code acquisition.*} host options as sources (keys without the prefix, lower case). */
  static Map<String, Source> fromHost(Map<String, String> hostOptions, java.util.List<RuleProblem> problems) {
    Map<String, Source> out = new LinkedHashMap<>();
    if (hostOptions == null) return out;
    hostOptions.forEach((k, v) -> {
      if (k.regionMatches(true, 0, HOST_PREFIX, 0, HOST_PREFIX.length())) {
        String key = k.substring(HOST_PREFIX.length()).toLowerCase(Locale.ROOT);
        out.put(key, new Source(key, v == null ? "" : v, 0, 0, k));
      }
    });
    return out;
  }

  /** Typed options from merged sources; problems are added, and defaults stand in for bad values. */
  static AcquisitionOptions of(Map<String, Source> sources, java.util.List<RuleProblem> problems) {
    Reader r = new Reader(sources, problems);
    DateToken date = DateToken.DEFAULT;
    Source format = sources.get("dateformat");
    if (format != null) date = r.apply(format, date, v -> DateToken.DEFAULT.with("dateformat", v));
    final DateToken formatted = date;
    Source delta = sources.get("datedelta");
    if (delta != null) date = r.apply(delta, date, v -> formatted.with("datedelta", v));
    Source requeueOn = sources.get("requeueon");
    if (requeueOn != null) requeueOn.report(problems, 0, "requeueon scripts are not supported; use requeueonupdate and requeueonsamesize");
    Comparison filesize = r.value("filesize", null, Comparison::size);
    Comparison fileage = r.value("fileage", null, Comparison::age);
    RuleTemplate target = target(sources.getOrDefault("target", new Source("target", "$target", 0, 0, null)), date, problems);
    Duration lifetime = r.value("lifetime", Duration.ofDays(2), v -> {
      Duration d = DurationText.parse(v);
      if (d.isZero()) throw new IllegalArgumentException("lifetime must be more than 0");
      return d;
    });
    int priority = r.value("priority", 99, v -> {
      int p = Integer.parseInt(v.trim());
      if (p < 0 || p > 99) throw new IllegalArgumentException("priority must be 0-99 (lower goes first)");
      return p;
    });
    String groupBy = r.value("groupby", DEFAULT_GROUP_BY, v -> {
      if (v.isBlank()) throw new IllegalArgumentException("groupby must not be empty");
      return v.trim();
    });
    Action action = r.value("action", Action.QUEUE, v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "queue" -> Action.QUEUE;
      case "delete" -> Action.DELETE;
      default -> throw new IllegalArgumentException("action must be queue or delete, not '" + v + "'");
    });
    Pattern tmp = r.value("tmppattern", Pattern.compile(DEFAULT_TMP_PATTERN), AcquisitionOptions::compile);
    Map<String, String> raw = new LinkedHashMap<>();
    sources.forEach((k, s) -> raw.put(k, s.value()));
    return new AcquisitionOptions(date, r.bool("usesymlink"), filesize, fileage, target,
        r.value("metadata", "", String::trim), lifetime, priority, r.bool("standby"), r.bool("noretrieval"),
        r.bool("deleteoriginal"), groupBy, action, r.bool("uniquebytargetonly"), r.bool("uniquebynameandtime"),
        r.bool("requeueonupdate"), r.bool("requeueonsamesize"), tmp, Collections.unmodifiableMap(raw));
  }

  private static RuleTemplate target(Source s, DateToken date, java.util.List<RuleProblem> problems) {
    String v = s.value();
    int lead = v.length() - v.stripLeading().length();
    String text = v.strip();
    if (text.isEmpty()) s.report(problems, 0, "target must not be empty (the default is $target)");
    return RuleTemplate.parse(text, 1 + lead, RuleTemplate.IN_TARGET, "a target",
        date, (column, message) -> s.report(problems, column - 1, message));
  }

  /** Reads one option at a time, turning a bad value into a problem at the value's position. */
  private record Reader(Map<String, Source> sources, java.util.List<RuleProblem> problems) {
    <T> T value(String key, T defaultValue, java.util.function.Function<String, T> parse) {
      Source s = sources.get(key);
      return s == null ? defaultValue : apply(s, defaultValue, parse);
    }

    <T> T apply(Source s, T defaultValue, java.util.function.Function<String, T> parse) {
      try {
        return parse.apply(s.value());
      } catch (NumberFormatException e) {
        s.report(problems, 0, s.key() + ": '" + s.value() + "' is not a whole number");
      } catch (IllegalArgumentException e) {
        s.report(problems, 0, e.getMessage().startsWith(s.key()) ? e.getMessage() : s.key() + ": " + e.getMessage());
      }
      return defaultValue;
    }

    boolean bool(String key) {
      return value(key, false, v -> switch (v.trim().toLowerCase(Locale.ROOT)) {
        case "yes", "true" -> true;
        case "no", "false" -> false;
        default -> throw new IllegalArgumentException("'" + v + "' is not yes, no, true or false");
      });
    }
  }

  static Pattern compile(String regex) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad regex {" + regex + "}: " + e.getDescription());
    }
  }
}
