package org.ecpds.common.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ecpds.common.config.Config;

/**
 * The bearer token a Prometheus scraper presents: {@code metrics.token}, else the first line of
 * {@code metrics.tokenFile}. Neither set: no /metrics endpoint (there is no default token).
 */
public final class MetricsToken {
  private MetricsToken() {}

  public static Optional<String> of(Config c) {
    String token = c.get("metrics.token", "").trim();
    if (!token.isEmpty()) return Optional.of(checked(token, "metrics.token"));
    Path file = c.getPath("metrics.tokenFile", null);
    if (file == null) return Optional.empty();
    try {
      String first = Files.readAllLines(file).stream().findFirst().orElse("").trim();
      return Optional.of(checked(first, "metrics.tokenFile " + file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read metrics.tokenFile " + file, e);
    }
  }

  private static String checked(String token, String where) {
    if (token.length() < 16) throw new IllegalArgumentException(where + ": a metrics token has at least 16 characters");
    return token;
  }
}
