package org.ecpds.master.acquisition;

import java.util.regex.Pattern;

/**
 * Whether a listed file looks complete enough to take now. A file that is still being written shows a
 * temporary name (the {@code tmpPattern} option, by default dot-files and {@code .tmp}) or a size or
 * modified time that moved since the previous listing of the same directory; either waits for a
 * later run. So does a file the previous listing did not show: one listing cannot tell a finished
 * file from one that is being written, two that agree can.
 */
public final class Stability {
  private Stability() {}

  public enum Decision { TAKE, TEMPORARY_NAME, UNSEEN, CHANGING }

  /** The size and modified time a file had at the previous listing. */
  public record Observation(long size, long modifiedMillis) {
    public static Observation of(RemoteFile f) {
      return new Observation(f.size(), f.modifiedMillis());
    }
  }

  /** {@code previous} is null when the previous listing did not show this name. */
  public static Decision decide(Observation previous, RemoteFile current, Pattern tmpPattern) {
    if (tmpPattern != null && tmpPattern.matcher(current.name()).find()) return Decision.TEMPORARY_NAME;
    if (previous == null) return Decision.UNSEEN;
    if (previous.size() != current.size() || previous.modifiedMillis() != current.modifiedMillis()) {
      return Decision.CHANGING;
    }
    return Decision.TAKE;
  }
}
