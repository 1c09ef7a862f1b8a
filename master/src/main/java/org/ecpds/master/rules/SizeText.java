package org.ecpds.master.rules;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as users write them in options: {@code 256k}, {@code 10MB}, {@code 1.5GiB}, {@code 4096} or
 * {@code 100b}. Multiples are binary (1k = 1024 bytes), as in OpenECPDS; case does not matter.
 */
public final class SizeText {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kmgtp])(?:i?b)?|b)?");

  private SizeText() {}

  /** A non-negative number of bytes; throws IllegalArgumentException on anything else. */
  public static long parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIZE.matcher(t);
    if (!m.matches()) throw new IllegalArgumentException("invalid size '" + text + "' (use e.g. 4096, 256k, 10MB or 1.5GB)");
    int shift = m.group(2) == null ? 0 : 10 * (1 + "kmgtp".indexOf(m.group(2)));
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift));
    try {
      return bytes.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
  }
}
