package org.ecpds.master.domain;

/** A named queue with its own scheduler settings. */
public record Destination(long id, String name, String comment, boolean enabled, int maxConnections, int retryCount,
    long retryFrequencyMs, int maxRequeue, String onHostFailure, long createdMs) {

  public static final String NEXT_AND_RETRY = "NEXT_AND_RETRY";
  public static final String NEXT_AND_STAY = "NEXT_AND_STAY";
}
