package org.ecpds.portal.vfs;

import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Attributes of a virtual node; everything is read-only, hence the permissions. */
final class NodeAttributes implements PosixFileAttributes {
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("r-xr-x---");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("r--r-----");
  private static final GroupPrincipal GROUP = new PortalFileSystem.Principal("ecpds");

  private final Node node;
  private final UserPrincipal owner;

  NodeAttributes(Node node, UserPrincipal owner) {
    this.node = node;
    this.owner = owner;
  }

  /** The map form of {@code Files.readAttributes(path, "view:names")} for the basic and posix views. */
  Map<String, Object> toMap(String view, String names) {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("lastModifiedTime", lastModifiedTime());
    all.put("lastAccessTime", lastAccessTime());
    all.put("creationTime", creationTime());
    all.put("size", size());
    all.put("isRegularFile", isRegularFile());
    all.put("isDirectory", isDirectory());
    all.put("isSymbolicLink", false);
    all.put("isOther", false);
    if (view.equals("posix")) {
      all.put("permissions", permissions());
      all.put("owner", owner());
      all.put("group", group());
    }
    if (names.equals("*")) return all;
    Map<String, Object> selected = new LinkedHashMap<>();
    for (String name : names.split(",")) {
      if (!all.containsKey(name)) throw new IllegalArgumentException("unknown attribute " + view + ":" + name);
      selected.put(name, all.get(name));
    }
    return selected;
  }

  @Override public UserPrincipal owner() { return owner; }
  @Override public GroupPrincipal group() { return GROUP; }
  @Override public Set<PosixFilePermission> permissions() { return node.isDirectory() ? DIRECTORY : FILE; }
  @Override public FileTime lastModifiedTime() { return FileTime.fromMillis(node.modifiedMillis()); }
  @Override public FileTime lastAccessTime() { return lastModifiedTime(); }
  @Override public FileTime creationTime() { return lastModifiedTime(); }
  @Override public boolean isRegularFile() { return !node.isDirectory(); }
  @Override public boolean isDirectory() { return node.isDirectory(); }
  @Override public boolean isSymbolicLink() { return false; }
  @Override public boolean isOther() { return false; }
  @Override public long size() { return node.size(); }
  @Override public Object fileKey() { return null; }
}
