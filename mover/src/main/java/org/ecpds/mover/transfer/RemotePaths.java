package org.ecpds.mover.transfer;

/** Remote paths as the file-based modules (FTP, SFTP, SCP) take them: '/'-separated, relative to the login directory unless absolute. */
public final class RemotePaths {
  private static final java.util.regex.Pattern SLASHES = java.util.regex.Pattern.compile("/{2,}");

  private RemotePaths() {}

  /** Backslashes as slashes, repeated slashes folded, no trailing slash (except the root itself). */
  public static String clean(String path) {
    String p = path.replace('\\', '/');
    if (p.contains("//")) p = SLASHES.matcher(p).replaceAll("/"); // compiled once: this runs for every file sent
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** The directory of a clean path: "" for a bare name, "/" for a name in the root. */
  public static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i < 0 ? "" : i == 0 ? "/" : path.substring(0, i);
  }

  /** The last element of a clean path. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** {@code name} in {@code dir} (as {@link #parent} gives it). */
  public static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir.equals("/") ? "/" + name : dir + "/" + name;
  }
}
