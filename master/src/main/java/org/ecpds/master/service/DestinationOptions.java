package org.ecpds.master.service;

import java.time.Duration;
import java.time.Instant;
import org.ecpds.master.rules.ActiveTimeRange;
import org.ecpds.master.rules.Options;

/**
 * The scheduler.* options of a destination's Properties text that ecpds applies (OpenECPDS names):
 * activeTimeRange (sending windows), delay (added to every transfer's scheduled time) and asap
 * (overrides the pusher's choice). Parsed when the destination is saved, so a bad value is refused
 * then and never fails a transfer later.
 */
public record DestinationOptions(ActiveTimeRange window, Duration delay, Boolean asap) {
  public static final DestinationOptions NONE = new DestinationOptions(ActiveTimeRange.ALWAYS, Duration.ZERO, null);

  public static DestinationOptions parse(String properties) {
    if (properties == null || properties.isBlank()) return NONE;
    Options o = Options.parse(properties);
    ActiveTimeRange window = o.string("scheduler.activeTimeRange").map(DestinationOptions::window)
        .orElse(ActiveTimeRange.ALWAYS);
    Duration delay = o.duration("scheduler.delay", Duration.ZERO);
    if (delay.isNegative() || delay.compareTo(Duration.ofDays(366)) > 0) {
      throw new IllegalArgumentException("scheduler.delay must be between 0 and 366d");
    }
    Boolean asap = o.has("scheduler.asap") ? o.bool("scheduler.asap", false) : null;
    return new DestinationOptions(window, delay, asap);
  }

  private static ActiveTimeRange window(String text) {
    try {
      return ActiveTimeRange.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("scheduler.activeTimeRange: " + e.getMessage());
    }
  }

  public boolean inWindow(Instant when) {
    return window.isOpen(when);
  }

  public Instant nextOpening(Instant when) {
    return window.nextOpening(when);
  }
}
