package org.ecpds.master.domain;

import java.util.Map;

/** A remote system; the password is kept encrypted at rest (see security.SecretBox). */
public record Host(long id, String name, String type, String transferMethod, String address, int port, String login,
    String passwordEnc, String directory, Map<String, String> options, boolean enabled, long createdMs,
    int maxConnections, long acquisitionFrequencyMs) {

  public static final String DISSEMINATION = "dissemination";
  public static final String ACQUISITION = "acquisition";
  public static final String SOURCE = "source";
}
