package org.ecpds.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * OpenECPDS's product status: {@code -expected|-started|-completed|-reset [-at TIME] -metadata
 * stream=S,time=T,step=N[,type=X]} tells the master where a product of a production run is.
 */
final class ProductOptions {
  @Option(names = {"-expected", "--expected"}, description = "Record the product (-metadata) as expected.")
  boolean expected;

  @Option(names = {"-started", "--started"}, description = "Record the product as started.")
  boolean started;

  @Option(names = {"-completed", "--completed"}, description = "Record the product as completed.")
  boolean completed;

  @Option(names = {"-reset", "--reset"}, description = "Forget the product's recorded status.")
  boolean reset;

  /** The status to send, or null when no product status option was given. */
  String requested() throws CliException {
    int n = (expected ? 1 : 0) + (started ? 1 : 0) + (completed ? 1 : 0) + (reset ? 1 : 0);
    if (n > 1) throw CliException.usage("only one of -expected, -started, -completed or -reset may be given");
    if (n == 0) return null;
    return expected ? "expected" : started ? "started" : completed ? "completed" : "reset";
  }

  /** The request body: the product from -metadata (stream, time, step, optional type) and -at. */
  static Map<String, Object> body(String status, Map<String, String> metadata, Long at) throws CliException {
    if (metadata == null) throw CliException.usage("-" + status + " needs -metadata stream=S,time=T,step=N[,type=X]");
    Map<String, Object> b = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      switch (e.getKey()) {
        case "stream", "time", "type" -> b.put(e.getKey(), e.getValue());
        case "step" -> {
          try {
            b.put("step", Long.parseLong(e.getValue()));
          } catch (NumberFormatException bad) {
            throw CliException.usage("invalid -metadata step '" + e.getValue() + "' (a number of hours >= 0)");
          }
        }
        default -> throw CliException.usage("unknown product -metadata key '" + e.getKey()
            + "' (stream, time, step, type)");
      }
    }
    for (String key : new String[] {"stream", "time", "step"}) {
      if (!b.containsKey(key)) throw CliException.usage("-" + status + " needs " + key + "= in -metadata");
    }
    b.put("status", status);
    if (at != null) b.put("at", at);
    return b;
  }
}
