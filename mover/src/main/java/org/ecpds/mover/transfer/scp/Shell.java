package org.ecpds.mover.transfer.scp;

/** Builds POSIX shell command lines from untrusted file names. */
final class Shell {
  private Shell() {}

  /**
   * One single-quoted word: inside single quotes nothing is special, and a quote itself is closed,
   * escaped and reopened ({@code '\''}). Spaces, {@code $}, backquotes and non-ASCII pass untouched.
   */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** A quoted path argument; a leading '-' is defused for commands without "--" (find). */
  static String path(String p) {
    String s = p.isEmpty() ? "." : p;
    return quote(s.startsWith("-") ? "./" + s : s);
  }
}
