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
 * Attribute view whose setters refuse with "access denied" (not "unsupported"), so that an SFTP
 * setstat gets a permission-denied status instead of being silently ignored.
 */
final class ReadOnlyAttributeView implements PosixFileAttributeView {
  private final PortalPath path;

  ReadOnlyAttributeView(PortalPath path) {
    this.path = path;
  }

  @Override public String name() { return "posix"; }

  @Override
  public PosixFileAttributes readAttributes() throws IOException {
    PortalFileSystem fs = path.getFileSystem();
    return new NodeAttributes(fs.lookup(path), fs.owner());
  }

  @Override public UserPrincipal getOwner() throws IOException { return readAttributes().owner(); }
  @Override public void setTimes(FileTime m, FileTime a, FileTime c) throws IOException { throw refused(); }
  @Override public void setPermissions(Set<PosixFilePermission> perms) throws IOException { throw refused(); }
  @Override public void setGroup(GroupPrincipal group) throws IOException { throw refused(); }
  @Override public void setOwner(UserPrincipal owner) throws IOException { throw refused(); }

  private AccessDeniedException refused() {
    return PortalFileSystemProvider.readOnly(path);
  }
}
