package org.ecpds.master.scheduler;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Resolves a host's directory template into the remote path. Placeholders: $destination, $target,
 * $date (yyyyMMdd, UTC), $time (HHmmss). Without $target the target is appended as a file name.
 */
public final class TargetPaths {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss").withZone(ZoneOffset.UTC);

  private TargetPaths() {}

  public static String resolve(String template, String destination, String target, Instant when) {
    String t = template == null ? "" : template.trim();
    String resolved = t.replace("$destination", destination).replace("$date", DATE.format(when))
        .replace("$time", TIME.format(when));
    if (resolved.contains("$target")) return resolved.replace("$target", target);
    if (resolved.isEmpty()) return target;
    return resolved.endsWith("/") ? resolved + target : resolved + "/" + target;
  }
}
