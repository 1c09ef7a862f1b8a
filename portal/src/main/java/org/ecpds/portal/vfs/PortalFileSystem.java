package org.ecpds.portal.vfs;

import java.io.IOException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Set;
import org.apache.sshd.common.file.util.BaseFileSystem;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.PortalFs;

/**
 * One SSH session's view of its {@link PortalFs} as an NIO file system, for MINA's SFTP subsystem and
 * scp. It only translates: every path goes through {@link FsPath#parse}, every decision is the
 * PortalFs's. Closing it leaves the PortalFs open (it belongs to the SSH session, which may open
 * several channels).
 */
public final class PortalFileSystem extends BaseFileSystem<PortalPath> {
  private final PortalFs fs;
  private volatile boolean open = true;

  PortalFileSystem(PortalFileSystemProvider provider, PortalFs fs) {
    super(provider);
    this.fs = fs;
  }

  public PortalFs portal() {
    return fs;
  }

  @Override
  protected PortalPath create(String root, List<String> names) {
    return new PortalPath(this, root, names);
  }

  /** The portal path of an NIO path: absolute, ".." clamped at the root (a chroot), then FsPath's checks. */
  FsPath fsPath(PortalPath path) throws IOException {
    try {
      return FsPath.parse("/" + String.join("/", path.canonicalNames()));
    } catch (FsException e) {
      throw NioErrors.of(e, path.toString());
    }
  }

  FsEntry stat(PortalPath path) throws IOException {
    try {
      return fs.stat(fsPath(path));
    } catch (FsException e) {
      throw NioErrors.of(e, path.toString());
    }
  }

  UserPrincipal owner() {
    return new Principal(fs.user());
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return Set.of("basic", "posix");
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return new UserPrincipalLookupService() {
      @Override
      public UserPrincipal lookupPrincipalByName(String name) throws IOException {
        throw new UserPrincipalNotFoundException(name);
      }

      @Override
      public GroupPrincipal lookupPrincipalByGroupName(String group) throws IOException {
        throw new UserPrincipalNotFoundException(group);
      }
    };
  }

  /** Owner and group shown in listings. */
  record Principal(String getName) implements GroupPrincipal {
    @Override
    public String toString() {
      return getName;
    }
  }
}
