package org.ecpds.monitor.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** OpenECPDS's transfer status codes and the names its operators know them by. */
final class TransferStatus {
  /** The columns of the home page, in OpenECPDS's usual order. */
  static final List<String> OVERVIEW_CODES = List.of("WAIT", "EXEC", "DONE", "RETR", "STOP", "INTR", "FAIL", "HOLD");

  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("INIT", "Arriving"), Map.entry("SCHE", "Preset"), Map.entry("FETC", "Fetching"),
      Map.entry("HOLD", "StandBy"), Map.entry("WAIT", "Queued"), Map.entry("EXEC", "Transferring"),
      Map.entry("DONE", "Done"), Map.entry("RETR", "Requeued"), Map.entry("FAIL", "Failed"),
      Map.entry("STOP", "Stopped"), Map.entry("INTR", "Interrupted"));

  /** Nothing left to stop: the transfer ended one way or the other. */
  private static final Set<String> FINISHED = Set.of("DONE", "STOP", "FAIL");

  private TransferStatus() {}

  static String name(String code) {
    return NAMES.getOrDefault(code, code);
  }

  static boolean known(String code) {
    return NAMES.containsKey(code);
  }

  static boolean stoppable(String code) {
    return !FINISHED.contains(code);
  }

  /** CSS class for the status badge; unknown codes get a neutral style rather than a raw class. */
  static String cssClass(String code) {
    return "st st-" + (known(code) ? code.toLowerCase(java.util.Locale.ROOT) : "unknown");
  }
}
