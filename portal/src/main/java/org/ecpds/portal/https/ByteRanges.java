package org.ecpds.portal.https;

import java.util.ArrayList;
import java.util.List;

/**
 * The Range header ({@code bytes=a-b, c-, -n}) resolved against a file size. A header that does not
 * parse is ignored (the whole file is sent), as RFC 9110 §14.2 allows; so is one with more ranges than
 * {@link #MAX_RANGES}, which protects against many tiny overlapping ranges.
 */
public final class ByteRanges {
  public static final int MAX_RANGES = 64;

  public record Range(long first, long last) {
    public long length() {
      return last - first + 1;
    }
  }

  /** What the header asks for: null = ignore it, empty = nothing satisfiable (416). */
  public static List<Range> parse(String header, long size) {
    if (header == null) return null;
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return null;
    String[] specs = h.substring(6).split(",");
    if (specs.length > MAX_RANGES) return null;
    List<Range> out = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.trim();
      int dash = spec.indexOf('-');
      if (dash < 0) return null;
      try {
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        if (a.isEmpty()) {
          if (b.isEmpty()) return null;
          long suffix = Long.parseLong(b);
          if (suffix < 0) return null;
          if (suffix > 0 && size > 0) out.add(new Range(Math.max(0, size - suffix), size - 1));
        } else {
          long first = Long.parseLong(a);
          long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
          if (first < 0 || last < first) return null;
          if (first < size) out.add(new Range(first, Math.min(last, size - 1)));
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return out;
  }

  private ByteRanges() {}
}
