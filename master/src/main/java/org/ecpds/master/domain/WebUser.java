package org.ecpds.master.domain;

import java.util.Arrays;

/**
 * An operator of the monitor and the REST API. {@code roles} is a comma-separated list; "admin"
 * (the schema's default) may change things, "read-only" may log in to the monitor and look.
 */
public record WebUser(long id, String name, String passwordHash, String roles, boolean enabled, long createdMs) {
  /** May change configuration and act on transfers and destinations. */
  public static final String OPERATOR = "admin";
  /** May only look. */
  public static final String READ_ONLY = "read-only";

  public static boolean knownRole(String role) {
    return OPERATOR.equals(role) || READ_ONLY.equals(role);
  }

  /** Whether this user may change anything; a user with no operator role is read-only. */
  public boolean operator() {
    return Arrays.stream(roles.split(",")).map(String::strip).anyMatch(OPERATOR::equals);
  }
}
