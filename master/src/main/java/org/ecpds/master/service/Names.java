package org.ecpds.master.service;

import java.util.regex.Pattern;

/** Names of destinations, hosts and users: short, and safe in paths and URLs. */
public final class Names {
  /** The name columns' size in the schema (a test checks that they agree). */
  public static final int MAX_LENGTH = 64;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0," + (MAX_LENGTH - 1) + "}");

  private Names() {}

  public static String check(String kind, String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid " + kind + " name '" + name
          + "' (1-" + MAX_LENGTH + " characters: letters, digits, '_', '.', '-'; starting with a letter or digit)");
    }
    return name;
  }
}
