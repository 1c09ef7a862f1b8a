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
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.PortalFs;

/**
 * Attributes of a portal entry. The mode bits show what the user may do (read: GET, write: PUT or
 * DELETE on a file, PUT or MKDIR in a directory) for the owner and the group, nothing for others.
 */
final class NodeAttributes implements PosixFileAttributes {
  private static final GroupPrincipal GROUP = new PortalFileSystem.Principal("ecpds");

  private final FsEntry entry;
  private final UserPrincipal owner;
  private final Set<PosixFilePermission> permissions;

  NodeAttributes(FsEntry entry, PortalFs fs, UserPrincipal owner) {
    this.entry = entry;
    this.owner = owner;
    this.permissions = PosixFilePermissions.fromString(mode(entry, fs));
  }

  private static String mode(FsEntry e, PortalFs fs) {
    if (e.directory()) {
      boolean w = !e.path().isRoot() && (fs.allowed(FsPermission.PUT, e.path()) || fs.allowed(FsPermission.MKDIR, e.path()));
      String m = w ? "rwx" : "r-x";
      return m + m + "---";
    }
    boolean r = fs.allowed(FsPermission.GET, e.path());
    boolean w = fs.allowed(FsPermission.PUT, e.path()) || fs.allowed(FsPermission.DELETE, e.path());
    String m = (r ? "r" : "-") + (w ? "w" : "-") + "-";
    return m + m + "---";
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
    all.put("fileKey", fileKey());
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
  @Override public Set<PosixFilePermission> permissions() { return permissions; }
  @Override public FileTime lastModifiedTime() { return FileTime.fromMillis(entry.modifiedMillis()); }
  @Override public FileTime lastAccessTime() { return lastModifiedTime(); }
  @Override public FileTime creationTime() { return lastModifiedTime(); }
  @Override public boolean isRegularFile() { return !entry.directory(); }
  @Override public boolean isDirectory() { return entry.directory(); }
  @Override public boolean isSymbolicLink() { return false; }
  @Override public boolean isOther() { return false; }
  @Override public long size() { return entry.size(); }
  @Override public Object fileKey() { return null; }
}
