package org.ecpds.master.acquisition;

/**
 * One problem found in a host's acquisition rules. For a line of the Directory field, {@code line}
 * and {@code column} are 1-based and {@code option} is null; for a host option ({@code acquisition.*})
 * {@code line} is 0, {@code option} names the key and {@code column} is 1-based in its value.
 */
public record RuleProblem(int line, int column, String option, String message) {
  @Override
  public String toString() {
    if (option != null) return "option " + option + ": " + message;
    return "line " + line + ", column " + column + ": " + message;
  }
}
