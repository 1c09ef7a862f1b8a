package org.ecpds.mover.transfer;

import java.util.Locale;

/**
 * Yes/no option values, read the same way by every module (true/false, yes/no, on/off, 1/0, any
 * case). Anything else is an error, never a silent "false".
 */
public final class Flags {
  private Flags() {}

  public static boolean of(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "y", "on", "1" -> true;
      case "false", "no", "n", "off", "0" -> false;
      default -> throw new IllegalArgumentException("not a yes/no value: '" + value + "'");
    };
  }
}
