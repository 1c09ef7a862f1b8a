package org.ecpds.portal.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path inside one user's portal tree, always absolute and normalised: "/" is the root (the
 * destinations the user may see), "/D" a destination, "/D/a/b" a file or directory in it. Every
 * protocol adapter turns what its client sent into an FsPath through {@link #parse}, so there is one
 * place that decides what cannot be addressed: ".." above the root, NUL and other control characters,
 * segments over 255 bytes, paths over {@link #MAX_LENGTH} characters. Relative paths resolve against a
 * working directory with {@link #resolve}; a path can never designate anything outside the user's tree.
 */
public final class FsPath implements Comparable<FsPath> {
  /** The target column's length (data_transfer.target) plus the destination segment. */
  public static final int MAX_LENGTH = 1024;
  public static final int MAX_SEGMENT_BYTES = 255;
  public static final FsPath ROOT = new FsPath(List.of());

  private final List<String> segments;

  private FsPath(List<String> segments) {
    this.segments = List.copyOf(segments);
  }

  /** An absolute path as a client spelled it; a relative one is taken from the root. */
  public static FsPath parse(String path) throws FsException {
    return ROOT.resolve(path);
  }

  /** Resolves {@code path} against this directory ("." and ".." applied; an absolute path starts at the root). */
  public FsPath resolve(String path) throws FsException {
    Objects.requireNonNull(path, "path");
    if (path.length() > MAX_LENGTH) throw new FsException(FsException.Kind.INVALID_NAME, null, "path longer than " + MAX_LENGTH + " characters");
    List<String> out = path.startsWith("/") ? new ArrayList<>() : new ArrayList<>(segments);
    for (String s : path.split("/", -1)) {
      if (s.isEmpty() || s.equals(".")) continue;
      if (s.equals("..")) {
        if (out.isEmpty()) throw new FsException(FsException.Kind.INVALID_NAME, null, "path leaves the portal root: " + path);
        out.remove(out.size() - 1);
        continue;
      }
      checkSegment(s);
      out.add(s);
    }
    FsPath p = new FsPath(out);
    if (p.toString().length() > MAX_LENGTH) throw new FsException(FsException.Kind.INVALID_NAME, null, "path longer than " + MAX_LENGTH + " characters");
    return p;
  }

  private static void checkSegment(String s) throws FsException {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') throw new FsException(FsException.Kind.INVALID_NAME, null, "name has a control character or backslash: " + s.replaceAll("\\p{Cntrl}", "?"));
    }
    if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
      throw new FsException(FsException.Kind.INVALID_NAME, null, "name longer than " + MAX_SEGMENT_BYTES + " bytes");
    }
  }

  /** A child of this path; the name must be one valid segment. */
  public FsPath child(String name) throws FsException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")) {
      throw new FsException(FsException.Kind.INVALID_NAME, this, "not a single name: " + name);
    }
    checkSegment(name);
    List<String> out = new ArrayList<>(segments);
    out.add(name);
    return new FsPath(out);
  }

  public boolean isRoot() {
    return segments.isEmpty();
  }

  /** True for "/D": a destination itself. */
  public boolean isDestination() {
    return segments.size() == 1;
  }

  /** The destination this path is in; null for the root. */
  public String destination() {
    return segments.isEmpty() ? null : segments.get(0);
  }

  /** The path inside the destination ("a/b" for "/D/a/b"); "" for the root and a destination. */
  public String relative() {
    return segments.size() <= 1 ? "" : String.join("/", segments.subList(1, segments.size()));
  }

  /** The last segment; "" for the root. */
  public String name() {
    return segments.isEmpty() ? "" : segments.get(segments.size() - 1);
  }

  /** The parent; the root's parent is the root. */
  public FsPath parent() {
    return segments.isEmpty() ? this : new FsPath(segments.subList(0, segments.size() - 1));
  }

  public List<String> segments() {
    return segments;
  }

  /** True when {@code other} is this path or below it. */
  public boolean contains(FsPath other) {
    return other.segments.size() >= segments.size() && other.segments.subList(0, segments.size()).equals(segments);
  }

  @Override
  public String toString() {
    return "/" + String.join("/", segments);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FsPath p && p.segments.equals(segments);
  }

  @Override
  public int hashCode() {
    return segments.hashCode();
  }

  @Override
  public int compareTo(FsPath o) {
    return toString().compareTo(o.toString());
  }
}
