package org.ecpds.master.rules;

/** Pieces of a relative target path such as {@code a/b/c.grib}. */
public final class TargetParts {
  private TargetParts() {}

  /** The last segment: {@code c.grib}. */
  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Everything before the last segment: {@code a/b}, or empty for a top-level name. */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }

  static boolean hasDotDot(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) return true;
    }
    return false;
  }

  /** Null when {@code path} is a clean relative path, otherwise why it is not. */
  public static String relativePathProblem(String path) {
    if (path.isEmpty()) return "is empty";
    if (path.startsWith("/")) return "must not start with '/'";
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty()) return "has an empty segment ('//' or a trailing '/')";
      if (segment.equals("..") || segment.equals(".")) return "must not contain a '" + segment + "' segment";
    }
    return null;
  }
}
