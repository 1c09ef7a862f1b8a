package org.ecpds.master.service;

import java.util.regex.Pattern;

/** Names of destinations, hosts and users: short, and safe in paths and URLs. */
public final class Names {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  private Names() {}

  public static String check(String kind, String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException("invalid " + kind + " name '" + name
          + "' (1-64 characters: letters, digits, '_', '.', '-'; starting with a letter or digit)");
    }
    return name;
  }
}
