package org.ecpds.master.rules;

import java.time.Instant;
import java.util.Map;

/** The variables of an alias rule ({@code $name $path $parent $destination $alias $date $metadata[key] $target[..]}). */
final class AliasVariables {
  private AliasVariables() {}

  /** One data file as an alias rule sees it. */
  record Subject(String target, Map<String, String> metadata, String destination, String alias, Instant now, DateToken date) {}

  static void check(Placeholder p) {
    switch (p.name()) {
      case "name", "path", "parent", "destination", "alias" -> {
        if (p.arg() != null) throw new IllegalArgumentException(p.display() + ": $" + p.name() + " takes no [...]");
      }
      case "metadata" -> {
        if (p.arg() == null || p.arg().isBlank()) throw new IllegalArgumentException("$metadata needs a key, e.g. $metadata[stream]");
      }
      case "date" -> DateToken.of(p.arg(), DateToken.DEFAULT);
      case "target" -> TargetSlice.parse(p.arg());
      default -> throw new IllegalArgumentException("unknown variable $" + p.name());
    }
  }

  /** A missing metadata key is an error in a target ({@code strict}) and an empty value in a condition. */
  static String resolve(Placeholder p, Subject s, boolean strict) {
    return switch (p.name()) {
      case "name" -> TargetParts.name(s.target());
      case "path" -> s.target();
      case "parent" -> TargetParts.parent(s.target());
      case "destination" -> s.destination();
      case "alias" -> s.alias();
      case "metadata" -> {
        String v = s.metadata().get(p.arg());
        if (v == null && strict) throw new IllegalArgumentException("the data file has no metadata '" + p.arg() + "'");
        yield v == null ? "" : v;
      }
      case "date" -> DateToken.of(p.arg(), s.date()).resolve(s.target(), s.now());
      default -> TargetSlice.parse(p.arg()).apply(s.target());
    };
  }
}
