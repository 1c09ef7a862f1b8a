package org.ecpds.master.rules;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The variables of a dissemination directory template: which fields exist and how each resolves. */
final class TemplateVariables {
  static final Set<String> NAMES = Set.of("dataFile", "dataTransfer", "destination", "host", "transferMethod",
      "moverName", "metadata", "date", "time", "target");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private static final Map<String, Function<TemplateContext, Object>> DATA_FILE = new LinkedHashMap<>();
  private static final Map<String, Function<TemplateContext, Object>> TRANSFER = new LinkedHashMap<>();
  private static final Map<String, Function<TemplateContext, Object>> DESTINATION = new LinkedHashMap<>();
  private static final Map<String, Function<TemplateContext, Object>> HOST = new LinkedHashMap<>();

  static {
    DATA_FILE.put("id", c -> c.dataFile().id());
    DATA_FILE.put("original", c -> c.dataFile().original());
    DATA_FILE.put("source", c -> c.dataFile().source());
    DATA_FILE.put("size", c -> c.dataFile().size());
    DATA_FILE.put("formatSize", c -> formatSize(c.dataFile().size()));
    DATA_FILE.put("arrivedTime", c -> c.dataFile().arrivedTime());
    DATA_FILE.put("timeBase", c -> c.dataFile().timeBase());
    DATA_FILE.put("timeFile", c -> c.dataFile().timeFile());
    DATA_FILE.put("timeStep", c -> c.dataFile().timeStep());
    DATA_FILE.put("metaTime", c -> c.dataFile().metaTime());
    DATA_FILE.put("metaStream", c -> c.dataFile().metaStream());
    DATA_FILE.put("checksum", c -> c.dataFile().checksum());
    TRANSFER.put("target", c -> c.transfer().target());
    TRANSFER.put("id", c -> c.transfer().id());
    TRANSFER.put("comment", c -> c.transfer().comment());
    TRANSFER.put("identity", c -> c.transfer().identity());
    TRANSFER.put("priority", c -> c.transfer().priority());
    TRANSFER.put("scheduled", c -> c.transfer().scheduled());
    TRANSFER.put("statusCode", c -> c.transfer().statusCode());
    TRANSFER.put("asap", c -> c.transfer().asap() ? "yes" : "no");
    TRANSFER.put("name", c -> TargetParts.name(c.transfer().target()));
    TRANSFER.put("path", c -> TargetParts.parent(c.transfer().target()));
    TRANSFER.put("parent", c -> TargetParts.name(TargetParts.parent(c.transfer().target())));
    DESTINATION.put("name", c -> c.destination().name());
    DESTINATION.put("comment", c -> c.destination().comment());
    DESTINATION.put("userMail", c -> c.destination().userMail());
    HOST.put("name", c -> c.host().name());
    HOST.put("nickname", c -> c.host().nickname());
    HOST.put("host", c -> c.host().host());
    HOST.put("login", c -> c.host().login());
    HOST.put("comment", c -> c.host().comment());
    HOST.put("userMail", c -> c.host().userMail());
    HOST.put("networkCode", c -> c.host().networkCode());
    HOST.put("networkName", c -> c.host().networkName());
  }

  private TemplateVariables() {}

  /** Throws when the reference names a field that does not exist or has malformed options. */
  static void check(Placeholder p) {
    switch (p.name()) {
      case "dataFile" -> field(p, DATA_FILE);
      case "dataTransfer" -> field(p, TRANSFER);
      case "destination" -> { if (p.arg() != null) field(p, DESTINATION); }
      case "host" -> field(p, HOST);
      case "transferMethod" -> { if (p.arg() != null && !p.arg().equals("name")) throw unknownField(p); }
      case "moverName", "time" -> { if (p.arg() != null) throw new IllegalArgumentException(p.display() + ": $" + p.name() + " takes no [...]"); }
      case "metadata" -> { if (p.arg() == null || p.arg().isBlank()) throw new IllegalArgumentException("$metadata needs a key, e.g. $metadata[stream]"); }
      case "date" -> DateToken.of(p.arg(), DateToken.DEFAULT);
      case "target" -> TargetSlice.parse(p.arg());
      default -> throw new IllegalArgumentException("unknown variable $" + p.name());
    }
  }

  /**
   * The value of a checked reference. A missing metadata key is an error in a path ({@code strict})
   * but an empty value in a condition, so a selector can test for it.
   */
  static String resolve(Placeholder p, TemplateContext c, boolean strict) {
    String target = c.transfer().target();
    Object value = switch (p.name()) {
      case "dataFile" -> DATA_FILE.get(p.arg()).apply(c);
      case "dataTransfer" -> TRANSFER.get(p.arg()).apply(c);
      case "destination" -> DESTINATION.get(p.arg() == null ? "name" : p.arg()).apply(c);
      case "host" -> HOST.get(p.arg()).apply(c);
      case "transferMethod" -> c.transferMethod();
      case "moverName" -> c.moverName();
      case "metadata" -> metadata(c, p.arg(), strict);
      case "date" -> DateToken.of(p.arg(), DateToken.DEFAULT).resolve(target, c.now());
      case "time" -> TIME.format(c.now());
      default -> TargetSlice.parse(p.arg()).apply(target);
    };
    if (value == null) return "";
    return value instanceof Instant i ? STAMP.format(i) : value.toString();
  }

  private static String metadata(TemplateContext c, String key, boolean strict) {
    String v = c.dataFile().metadata().get(key);
    if (v == null && strict) throw new IllegalArgumentException("the data file has no metadata '" + key + "'");
    return v;
  }

  private static void field(Placeholder p, Map<String, ?> fields) {
    if (p.arg() == null) throw new IllegalArgumentException("$" + p.name() + " needs a field, one of " + fields.keySet());
    if (!fields.containsKey(p.arg())) throw unknownField(p);
  }

  private static IllegalArgumentException unknownField(Placeholder p) {
    return new IllegalArgumentException("unknown field " + p.display());
  }

  /** Sizes for people: 1023 -> "1023B", 1536 -> "1.5KB" (binary multiples). */
  static String formatSize(long bytes) {
    if (bytes < 1024) return bytes + "B";
    String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
  }
}
