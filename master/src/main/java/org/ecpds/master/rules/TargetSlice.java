package org.ecpds.master.rules;

/**
 * A slice of a target: {@code [3]} is the character at index 3, {@code [2..12]} the characters from
 * index 2 up to (not including) 12, {@code [2..]} everything from index 2. Indexes start at 0.
 */
public record TargetSlice(int from, int to) {
  public static final TargetSlice WHOLE = new TargetSlice(0, -1);

  public static TargetSlice parse(String arg) {
    if (arg == null) return WHOLE;
    String a = arg.trim();
    try {
      int dots = a.indexOf("..");
      if (dots < 0) {
        int i = Integer.parseInt(a);
        if (i >= 0) return new TargetSlice(i, i + 1);
      } else {
        int from = Integer.parseInt(a.substring(0, dots).trim());
        String rest = a.substring(dots + 2).trim();
        int to = rest.isEmpty() ? -1 : Integer.parseInt(rest);
        if (from >= 0 && (to == -1 || to > from)) return new TargetSlice(from, to);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("invalid target slice [" + arg + "] (use e.g. [3], [2..12] or [2..])");
  }

  public String apply(String target) {
    int end = to == -1 ? target.length() : to;
    if (from > target.length() || end > target.length()) {
      throw new IllegalArgumentException("target '" + target + "' is too short for the slice " + this);
    }
    return target.substring(from, end);
  }

  @Override
  public String toString() {
    if (to == -1) return from == 0 ? "" : "[" + from + "..]";
    return to == from + 1 ? "[" + from + "]" : "[" + from + ".." + to + "]";
  }
}
