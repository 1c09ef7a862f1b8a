package org.ecpds.master.domain;

/**
 * A named queue with its own scheduler settings (OpenECPDS names in docs/dissemination.md).
 * dispatchState is what an operator or the Retry Count rule set: ACTIVE, HOLD or STOP.
 */
public record Destination(long id, String name, String comment, boolean enabled, int maxConnections, int retryCount,
    long retryFrequencyMs, int maxRequeue, String onHostFailure, long createdMs, int maxStart, long startFrequencyMs,
    int maxPending, long maxFileSize, long resetFrequencyMs, String ifTargetExists, String deleteFromSpool,
    String properties, String dispatchState, String stateUser) {

  public static final String NEXT_AND_RETRY = "NEXT_AND_RETRY";
  public static final String NEXT_AND_STAY = "NEXT_AND_STAY";
  public static final String OVERWRITE = "OVERWRITE";
  public static final String RESUME = "RESUME";
  public static final String ON_EXPIRATION = "ON_EXPIRATION";
  public static final String ON_SUCCESS = "ON_SUCCESS";
  public static final String ACTIVE = "ACTIVE";
  public static final String HELD = "HOLD";
  public static final String STOPPED = "STOP";

  public boolean resume() {
    return RESUME.equals(ifTargetExists);
  }

  public Destination withDispatchState(String state, String user) {
    return new Destination(id, name, comment, enabled, maxConnections, retryCount, retryFrequencyMs, maxRequeue,
        onHostFailure, createdMs, maxStart, startFrequencyMs, maxPending, maxFileSize, resetFrequencyMs,
        ifTargetExists, deleteFromSpool, properties, state, user == null ? "" : user);
  }
}
