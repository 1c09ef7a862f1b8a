package org.ecpds.portal.fs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.ecpds.portal.PortalBackend;
import org.ecpds.proto.PortalFile;

/**
 * One listing of a destination, indexed for path lookups. Target names may contain slashes; their
 * prefixes are directories, as are the directories made with mkdir (and their parents). Names that
 * cannot be addressed (empty, "." or ".." segments) are left out. When two files share a name the most
 * recent one wins; a file hides a directory of the same name.
 */
final class DestinationTree {
  private final Map<String, PortalFile> files = new HashMap<>();
  private final Map<String, NavigableSet<String>> children = new HashMap<>();

  DestinationTree(PortalBackend.Listing listing) {
    children.put("", new TreeSet<>());
    for (PortalFile f : listing.files()) {
      List<String> segments = segments(f.getName());
      if (segments == null) continue;
      String name = String.join("/", segments);
      PortalFile previous = files.get(name);
      if (previous == null || newer(f, previous)) files.put(name, f);
      addParents(segments, segments.size());
    }
    for (String d : listing.directories()) {
      List<String> segments = segments(d);
      if (segments == null) continue;
      addParents(segments, segments.size());
      children.computeIfAbsent(String.join("/", segments), k -> new TreeSet<>());
    }
  }

  private void addParents(List<String> segments, int upTo) {
    String dir = "";
    for (int i = 0; i < upTo; i++) {
      children.computeIfAbsent(dir, k -> new TreeSet<>()).add(segments.get(i));
      dir = dir.isEmpty() ? segments.get(i) : dir + "/" + segments.get(i);
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
