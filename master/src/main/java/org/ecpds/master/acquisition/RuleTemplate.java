package org.ecpds.master.acquisition;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.ecpds.master.rules.DateToken;
import org.ecpds.master.rules.Placeholder;
import org.ecpds.master.rules.TargetSlice;
import org.ecpds.master.rules.TemplateContext;
import org.ecpds.master.rules.TemplateText;

/**
 * Text with {@code $token} references, as used by a rule's path and by the {@code target} option.
 * Which tokens are allowed depends on where the text is: a directory is resolved before anything is
 * listed, so it cannot use the entry's {@code $name} or {@code $timestamp}.
 */
final class RuleTemplate {
  static final Set<String> ALL = Set.of("date", "dirdate", "timestamp", "host", "transferMethod", "destination",
      "target", "name", "original");
  static final Set<String> IN_DIRECTORY = Set.of("date", "dirdate", "host", "transferMethod", "destination");
  static final Set<String> IN_TARGET = Set.of("date", "dirdate", "timestamp", "host", "transferMethod", "destination",
      "target", "name", "original");
  private static final Map<String, Function<TemplateContext.Host, String>> HOST = Map.of(
      "name", TemplateContext.Host::name, "nickname", TemplateContext.Host::nickname, "host", TemplateContext.Host::host,
      "login", TemplateContext.Host::login, "comment", TemplateContext.Host::comment,
      "userMail", TemplateContext.Host::userMail, "networkCode", TemplateContext.Host::networkCode,
      "networkName", TemplateContext.Host::networkName);
  private static final String PASSWORD = "passwd";

  /** A reference with its options read once; {@code column} is 1-based in the rule line (or option value). */
  private record Token(Placeholder placeholder, DateToken date, TargetSlice slice, int column) {}

  /** What a template is resolved against; {@code entry}, {@code original} and {@code target} are null for a directory. */
  record Bindings(AcquisitionContext context, Instant now, ZoneId zone, String dirdate, RemoteFile entry, String original,
      String target) {}

  private final String text;
  private final List<Object> parts; // String or Token
  private final boolean usesPassword;

  private RuleTemplate(String text, List<Object> parts) {
    this.text = text;
    this.parts = parts;
    this.usesPassword = parts.stream().anyMatch(p -> p instanceof Token t && isPassword(t.placeholder));
  }

  /**
   * Parses {@code text}, whose first character is at 1-based {@code column}; each bad reference adds
   * a problem (via {@code report}) and parsing goes on, so one save shows every mistake.
   */
  static RuleTemplate parse(String text, int column, Set<String> allowed, String where, DateToken lineDate,
      ProblemSink report) {
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
      int at = column + i;
      TemplateText.Scan scan;
      try {
        scan = TemplateText.scan(text, i, ALL);
      } catch (IllegalArgumentException e) {
        report.add(at, e.getMessage());
        i++;
        while (i < text.length() && Character.isLetterOrDigit(text.charAt(i))) i++;
        continue;
      }
      if (!literal.isEmpty()) {
        parts.add(literal.toString());
        literal.setLength(0);
      }
      try {
        parts.add(token(scan.placeholder(), at, allowed, where, lineDate));
      } catch (IllegalArgumentException e) {
        report.add(at, e.getMessage());
      }
      i = scan.end();
    }
    if (!literal.isEmpty()) parts.add(literal.toString());
    return new RuleTemplate(text, List.copyOf(parts));
  }

  private static Token token(Placeholder p, int column, Set<String> allowed, String where, DateToken lineDate) {
    if (!allowed.contains(p.name())) throw new IllegalArgumentException(p.display() + " cannot be used in " + where);
    DateToken date = null;
    TargetSlice slice = null;
    switch (p.name()) {
      case "date" -> {
        date = DateToken.of(p.arg(), lineDate);
        if (p.arg() != null && p.arg().contains("datesource") && allowed == IN_DIRECTORY) {
          throw new IllegalArgumentException("datesource reads the target, which a directory does not have yet");
        }
      }
      case "target" -> slice = TargetSlice.parse(p.arg());
      case "host" -> {
        if (p.arg() == null) throw new IllegalArgumentException("$host needs a field, one of " + HOST.keySet() + " or passwd");
        if (isPassword(p)) {
          if (allowed != IN_DIRECTORY) throw new IllegalArgumentException("$host[passwd] may only be used in the directory, never in " + where);
        } else if (!HOST.containsKey(p.arg())) {
          throw new IllegalArgumentException("unknown field " + p.display());
        }
      }
      case "transferMethod", "destination" -> {
        if (p.arg() != null && !p.arg().equals("name")) throw new IllegalArgumentException("unknown field " + p.display() + " (only name)");
      }
      default -> {
        if (p.arg() != null) throw new IllegalArgumentException(p.display() + ": $" + p.name() + " takes no [...]");
      }
    }
    return new Token(p, date, slice, column);
  }

  private static boolean isPassword(Placeholder p) {
    return p.name().equals("host") && PASSWORD.equals(p.arg());
  }

  /** The text with every reference replaced; {@code $host[passwd]} shows as {@code ****} when {@code forDisplay}. */
  String resolve(Bindings b, boolean forDisplay) {
    StringBuilder out = new StringBuilder();
    for (Object part : parts) {
      if (part instanceof String s) out.append(s);
      else out.append(value((Token) part, b, forDisplay));
    }
    return out.toString();
  }

  private static String value(Token t, Bindings b, boolean forDisplay) {
    Placeholder p = t.placeholder;
    String v = switch (p.name()) {
      case "date" -> t.date.resolve(b.target() == null ? "" : b.target(), b.now(), b.zone());
      case "dirdate" -> b.dirdate();
      case "timestamp" -> Long.toString(b.entry().modifiedMillis());
      case "host" -> isPassword(p) ? (forDisplay ? "****" : b.context().password()) : HOST.get(p.arg()).apply(b.context().host());
      case "transferMethod" -> b.context().transferMethod();
      case "destination" -> b.context().destination();
      case "target" -> t.slice.apply(b.target());
      case "name" -> b.entry().name();
      default -> b.original();
    };
    return v == null ? "" : v;
  }

  /** The first {@code $date} of the text with its options, or null: it gives a directory its {@code $dirdate}. */
  DateToken firstDate() {
    for (Object part : parts) {
      if (part instanceof Token t && t.date != null) return t.date;
    }
    return null;
  }

  boolean usesPassword() {
    return usesPassword;
  }

  String text() {
    return text;
  }

  /** Receives a problem at a 1-based column. */
  interface ProblemSink {
    void add(int column, String message);
  }
}
