package org.ecpds.master.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Operator actions on a whole destination, and when each is possible (one rule, one place):
 * hold/release pause and resume dispatching (release also ends a Retry Count hold); stop
 * interrupts what runs and dispatches nothing until restart; clean stops every transfer that is
 * waiting to go; requeue-all requeues the failed, stopped and interrupted ones.
 */
public enum DestinationAction {
  HOLD("hold"),
  RELEASE("release"),
  STOP("stop"),
  RESTART("restart"),
  CLEAN("clean"),
  REQUEUE_ALL("requeue-all");

  private final String wireName;

  DestinationAction(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static DestinationAction parse(String name) {
    for (DestinationAction a : values()) if (a.wireName.equalsIgnoreCase(name == null ? "" : name.trim())) return a;
    throw new IllegalArgumentException("unknown destination action '" + name
        + "' (hold, release, stop, restart, clean, requeue-all)");
  }

  /** The actions the destination's dispatch state allows now. */
  public static Set<DestinationAction> allowed(Destination d) {
    EnumSet<DestinationAction> out = EnumSet.of(CLEAN, REQUEUE_ALL);
    switch (d.dispatchState()) {
      case Destination.HELD -> out.addAll(EnumSet.of(RELEASE, STOP));
      case Destination.STOPPED -> out.add(RESTART);
      default -> out.addAll(EnumSet.of(HOLD, STOP));
    }
    return out;
  }

  public void requireAllowed(Destination d) {
    if (!allowed(d).contains(this)) {
      throw new ConflictException("destination " + d.name() + " is " + d.dispatchState().toLowerCase()
          + ": " + wireName + " is not possible now");
    }
  }
}
