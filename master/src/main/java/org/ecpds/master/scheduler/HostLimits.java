package org.ecpds.master.scheduler;

import org.ecpds.common.config.Durations;
import org.ecpds.master.domain.Host;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A source host's retrieval.* options (OpenECPDS names): the limits a mover applies to one fetch. */
final class HostLimits {
  private static final Logger LOG = LoggerFactory.getLogger(HostLimits.class);

  private HostLimits() {}

  /** retrieval.minimumRate, bytes per second (0 = none). */
  static long minimumRate(Host h) {
    String v = h.options().get("retrieval.minimumRate");
    if (v == null || v.isBlank()) return 0;
    try {
      return Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      LOG.warn("host {}: retrieval.minimumRate '{}' is not a number of bytes per second; ignored", h.name(), v);
      return 0;
    }
  }

  /** retrieval.maximumDuration, e.g. 25m (0 = none). */
  static long maximumDuration(Host h) {
    String v = h.options().get("retrieval.maximumDuration");
    if (v == null || v.isBlank()) return 0;
    try {
      return Durations.parse(v.trim()).toMillis();
    } catch (IllegalArgumentException e) {
      LOG.warn("host {}: retrieval.maximumDuration '{}' is not a duration; ignored", h.name(), v);
      return 0;
    }
  }
}
