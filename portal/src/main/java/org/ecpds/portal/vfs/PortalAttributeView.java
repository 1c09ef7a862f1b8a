package org.ecpds.portal.vfs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Attribute view of a portal entry: the modification time can be set (with MTIME: rclone sets it after
 * every upload). Portal entries have no mode of their own (the bits shown are the user's rights): a mode
 * change is accepted and ignored where the user may write (OpenSSH sends one with every mkdir and
 * "put -p"), refused elsewhere. Owner and group cannot be changed.
 */
final class PortalAttributeView implements PosixFileAttributeView {
  private final PortalPath path;

  PortalAttributeView(PortalPath path) {
    this.path = path;
  }

  @Override public String name() { return "posix"; }

  @Override
  public PosixFileAttributes readAttributes() throws IOException {
    return PortalFileSystemProvider.attributes(path);
  }

  @Override public UserPrincipal getOwner() throws IOException { return readAttributes().owner(); }

  @Override
  public void setTimes(FileTime modified, FileTime accessed, FileTime created) throws IOException {
    PortalFileSystemProvider.setTimes(path, modified);
  }

  @Override
  public void setPermissions(Set<PosixFilePermission> perms) throws IOException {
    PortalFileSystemProvider.setMode(path);
  }
  @Override public void setGroup(GroupPrincipal group) throws IOException { throw refused("group"); }
  @Override public void setOwner(UserPrincipal owner) throws IOException { throw refused("owner"); }

  private AccessDeniedException refused(String what) {
    return new AccessDeniedException(path.toString(), null, "the " + what + " of portal files cannot be changed");
  }
}
