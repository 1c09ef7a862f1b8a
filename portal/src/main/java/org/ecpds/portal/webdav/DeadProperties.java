package org.ecpds.portal.webdav;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.portal.fs.FsPath;

/**
 * Properties clients set with PROPPATCH, held in this server's memory only (the portal stores no
 * metadata for them), keyed by path and following their resource through MOVE, COPY and DELETE.
 * Bounded in paths, properties per path and value size, so clients cannot exhaust memory.
 */
final class DeadProperties {
  static final int MAX_PATHS = 10_000;
  static final int MAX_PER_PATH = 100;
  static final int MAX_VALUE_CHARS = 16 * 1024;

  private final Map<FsPath, Map<PropertyName, String>> byPath = new ConcurrentHashMap<>();

  /** The properties of a path, name → the property element as a fragment. */
  Map<PropertyName, String> get(FsPath path) {
    Map<PropertyName, String> m = byPath.get(path);
    if (m == null) return Map.of();
    synchronized (m) {
      return new LinkedHashMap<>(m);
    }
  }

  /** Applies sets (value non-null) and removes in order, all or nothing; false when a bound would be exceeded. */
  synchronized boolean apply(FsPath path, Map<PropertyName, String> changes) {
    for (String v : changes.values()) if (v != null && v.length() > MAX_VALUE_CHARS) return false;
    Map<PropertyName, String> current = new LinkedHashMap<>(get(path));
    changes.forEach((k, v) -> {
      if (v == null) current.remove(k);
      else current.put(k, v);
    });
    if (current.size() > MAX_PER_PATH) return false;
    if (current.isEmpty()) {
      byPath.remove(path);
      return true;
    }
    if (!byPath.containsKey(path) && byPath.size() >= MAX_PATHS) return false;
    byPath.put(path, java.util.Collections.synchronizedMap(current));
    return true;
  }

  synchronized void delete(FsPath root) {
    byPath.keySet().removeIf(root::contains);
  }

  synchronized void copy(FsPath from, FsPath to, boolean move) {
    if (move) delete(to);
    for (FsPath p : new ArrayList<>(byPath.keySet())) {
      if (!from.contains(p)) continue;
      FsPath target = rebase(p, from, to);
      if (target == null || (!byPath.containsKey(target) && byPath.size() >= MAX_PATHS)) continue;
      Map<PropertyName, String> props = move ? byPath.remove(p) : java.util.Collections.synchronizedMap(new LinkedHashMap<>(get(p)));
      if (props != null) byPath.put(target, props);
    }
  }

  static FsPath rebase(FsPath p, FsPath from, FsPath to) {
    try {
      FsPath out = to;
      for (String s : p.segments().subList(from.segments().size(), p.segments().size())) out = out.child(s);
      return out;
    } catch (org.ecpds.portal.fs.FsException e) {
      return null;
    }
  }
}
