package org.ecpds.master.domain;

/**
 * A destination's state as operators see it, with OpenECPDS's codes and labels. It is derived:
 * from what an operator (or the Retry Count rule) set, the hosts, the time window and the queue.
 */
public enum DestinationState {
  WAIT("Idle"),
  EXEC("Running"),
  RETR("Retrying"),
  FAIL("NoHosts"),
  STOP("Stopped"),
  HOLD("Failed"),
  SCHE("Waiting"),
  DISABLED("Disabled");

  private final String label;

  DestinationState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The order of the rules is the rule: an operator's stop or hold wins over everything else. */
  public static DestinationState of(Destination d, boolean hasHosts, boolean inWindow, int running, int retrying) {
    if (!d.enabled()) return DISABLED;
    if (Destination.STOPPED.equals(d.dispatchState())) return STOP;
    if (Destination.HELD.equals(d.dispatchState())) return HOLD;
    if (!hasHosts) return FAIL;
    if (!inWindow) return SCHE;
    if (running > 0) return EXEC;
    if (retrying > 0) return RETR;
    return WAIT;
  }

  /** Label with who set it, as OpenECPDS shows it ("Stopped-admin"). */
  public String labelFor(Destination d) {
    boolean byUser = (this == STOP || this == HOLD) && d.stateUser() != null && !d.stateUser().isBlank();
    return byUser ? label + "-" + d.stateUser() : label;
  }
}
