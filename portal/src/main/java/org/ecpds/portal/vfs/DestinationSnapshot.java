package org.ecpds.portal.vfs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.ecpds.proto.PortalFile;

/**
 * One listing of a destination, indexed for path lookups. Target names may contain slashes; their
 * prefixes become virtual directories. Names with empty, "." or ".." segments cannot be addressed
 * safely and are left out. When two files share a name the most recent one wins.
 */
final class DestinationSnapshot {
  private final Map<String, PortalFile> files = new HashMap<>();
  private final Map<String, NavigableSet<String>> children = new HashMap<>();

  DestinationSnapshot(Collection<PortalFile> listing) {
    children.put("", new TreeSet<>());
    for (PortalFile f : listing) {
      List<String> segments = segments(f.getName());
      if (segments == null) continue;
      String name = String.join("/", segments);
      PortalFile previous = files.get(name);
      if (previous == null || newer(f, previous)) files.put(name, f);
      String dir = "";
      for (String segment : segments) {
        children.computeIfAbsent(dir, k -> new TreeSet<>()).add(segment);
        dir = dir.isEmpty() ? segment : dir + "/" + segment;
      }
    }
  }

  PortalFile file(String relative) {
    return files.get(relative);
  }

  boolean isDirectory(String relative) {
    return children.containsKey(relative) && !files.containsKey(relative);
  }

  Collection<String> children(String relative) {
    NavigableSet<String> names = children.get(relative);
    return names == null ? List.of() : names;
  }

  private static boolean newer(PortalFile a, PortalFile b) {
    if (a.getModifiedMillis() != b.getModifiedMillis()) return a.getModifiedMillis() > b.getModifiedMillis();
    return a.getTransferId() > b.getTransferId();
  }

  private static List<String> segments(String name) {
    List<String> out = new ArrayList<>();
    for (String s : name.split("/", -1)) {
      if (s.isEmpty() && out.isEmpty()) continue; // tolerate a leading slash
      if (s.isEmpty() || s.equals(".") || s.equals("..")) return null;
      out.add(s);
    }
    return out.isEmpty() ? null : out;
  }
}
