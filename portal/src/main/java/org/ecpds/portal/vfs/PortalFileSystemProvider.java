package org.ecpds.portal.vfs;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.PortalFs;

/**
 * NIO provider over {@link PortalFs} (one file system per SSH channel, never registered globally), so
 * that servers working on NIO paths (MINA's SFTP subsystem, scp) get the portal's semantics: each NIO
 * call becomes one PortalFs call and each refusal the NIO exception of its kind.
 */
public final class PortalFileSystemProvider extends FileSystemProvider {
  public static final String SCHEME = "ecpds-portal";

  public PortalFileSystem newFileSystem(PortalFs fs) {
    return new PortalFileSystem(this, fs);
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("portal file systems are created per session");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new FileSystemNotFoundException(uri.toString());
  }

  @Override
  public Path getPath(URI uri) {
    throw new FileSystemNotFoundException(uri.toString());
  }

  @Override
  public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
      throws IOException {
    PortalPath p = portal(path);
    PortalFileSystem pfs = p.getFileSystem();
    FsPath target = pfs.fsPath(p);
    boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    try {
      if (!write) return new ReaderChannel(pfs.portal().read(target));
      if (options.contains(StandardOpenOption.APPEND) || options.contains(StandardOpenOption.READ)) {
        throw new SftpException(SftpConstants.SSH_FX_OP_UNSUPPORTED, "portal files are uploaded whole, not appended or updated");
      }
      if (options.contains(StandardOpenOption.CREATE_NEW) && exists(pfs.portal(), target)) {
        throw new FileAlreadyExistsException(p.toString());
      }
      return new UploadChannel(pfs.portal().write(target), p.toString());
    } catch (FsException e) {
      throw NioErrors.of(e, p.toString());
    }
  }

  private static boolean exists(PortalFs fs, FsPath path) throws FsException {
    try {
      fs.stat(path);
      return true;
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND) return false;
      throw e;
    }
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    PortalPath p = portal(dir);
    PortalFileSystem pfs = p.getFileSystem();
    List<FsEntry> listed;
    try {
      listed = pfs.portal().list(pfs.fsPath(p));
    } catch (FsException e) {
      throw NioErrors.of(e, p.toString());
    }
    List<Path> entries = new ArrayList<>();
    for (FsEntry e : listed) {
      Path child = p.resolve(e.name());
      if (filter == null || filter.accept(child)) entries.add(child);
    }
    return new DirectoryStream<>() {
      private boolean iterated;

      @Override
      public Iterator<Path> iterator() {
        if (iterated) throw new IllegalStateException("directory stream already iterated");
        iterated = true;
        return entries.iterator();
      }

      @Override
      public void close() {
        // nothing held open: the listing was fetched eagerly
      }
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    PortalPath p = portal(dir);
    try {
      p.getFileSystem().portal().mkdir(p.getFileSystem().fsPath(p));
    } catch (FsException e) {
      throw NioErrors.of(e, p.toString());
    }
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
    throw new AccessDeniedException(link.toString(), null, "the portal has no links");
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    throw new AccessDeniedException(link.toString(), null, "the portal has no links");
  }

  /** A file or an empty directory, as NIO's delete does; the SFTP subsystem checks which one it expects. */
  @Override
  public void delete(Path path) throws IOException {
    PortalPath p = portal(path);
    PortalFileSystem pfs = p.getFileSystem();
    FsPath target = pfs.fsPath(p);
    try {
      if (pfs.portal().stat(target).directory()) pfs.portal().rmdir(target);
      else pfs.portal().delete(target);
    } catch (FsException e) {
      throw NioErrors.of(e, p.toString());
    }
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    PortalPath p = portal(link);
    p.getFileSystem().stat(p);
    throw new NotLinkException(p.toString());
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    throw new SftpException(SftpConstants.SSH_FX_OP_UNSUPPORTED, "copy inside the portal is not supported");
  }

  /** Rename: replaces an existing file only when asked to (SFTP v3 rename does not, posix-rename does). */
  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    PortalPath from = portal(source);
    PortalPath to = portal(target);
    PortalFileSystem pfs = from.getFileSystem();
    boolean replace = List.of(options).contains(StandardCopyOption.REPLACE_EXISTING);
    try {
      FsPath f = pfs.fsPath(from);
      FsPath t = pfs.fsPath(to);
      if (!replace && !f.equals(t) && exists(pfs.portal(), t)) throw new FileAlreadyExistsException(to.toString());
      pfs.portal().rename(f, t);
    } catch (FsException e) {
      throw NioErrors.of(e, from.toString());
    }
  }

  @Override
  public boolean isSameFile(Path path, Path path2) {
    return path instanceof PortalPath a && path2 instanceof PortalPath b
        && a.getFileSystem() == b.getFileSystem() && a.canonicalNames().equals(b.canonicalNames());
  }

  @Override
  public boolean isHidden(Path path) {
    return false;
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    throw new UnsupportedOperationException("no file store behind the portal");
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    PortalPath p = portal(path);
    PortalFileSystem pfs = p.getFileSystem();
    FsEntry e = pfs.stat(p);
    for (AccessMode mode : modes) {
      boolean ok = switch (mode) {
        case READ -> e.directory() || pfs.portal().allowed(FsPermission.GET, e.path());
        case WRITE -> pfs.portal().allowed(FsPermission.PUT, e.path());
        case EXECUTE -> e.directory();
      };
      if (!ok) throw new AccessDeniedException(p.toString(), null, mode + " not allowed");
    }
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    return type.isAssignableFrom(PosixFileAttributeView.class) ? type.cast(new PortalAttributeView(portal(path)))
        : null;
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
      throws IOException {
    if (!type.isAssignableFrom(PosixFileAttributes.class)) {
      throw new UnsupportedOperationException("attributes " + type.getName() + " not supported");
    }
    return type.cast(attributes(portal(path)));
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    int colon = attributes.indexOf(':');
    String view = colon < 0 ? "basic" : attributes.substring(0, colon);
    String names = colon < 0 ? attributes : attributes.substring(colon + 1);
    if (!view.equals("basic") && !view.equals("posix")) {
      throw new UnsupportedOperationException("attribute view " + view + " not supported");
    }
    return attributes(portal(path)).toMap(view, names);
  }

  /** Only times can be set (modification time with MTIME; the others are accepted with it and ignored). */
  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
    PortalPath p = portal(path);
    String name = attribute.substring(attribute.indexOf(':') + 1);
    switch (name) {
      case "lastModifiedTime" -> setTimes(p, (FileTime) value);
      case "lastAccessTime", "creationTime" -> setTimes(p, null);
      case "permissions" -> setMode(p);
      default -> throw new AccessDeniedException(p.toString(), null, "the " + name + " of portal files cannot be changed");
    }
  }

  static void setTimes(PortalPath p, FileTime modified) throws IOException {
    PortalFileSystem pfs = p.getFileSystem();
    FsPath target = pfs.fsPath(p);
    try {
      if (modified != null) {
        pfs.portal().setModified(target, modified.toMillis());
      } else if (!pfs.portal().allowed(FsPermission.MTIME, pfs.portal().stat(target).path())) {
        throw new AccessDeniedException(p.toString(), null, "mtime not granted");
      }
    } catch (FsException e) {
      throw NioErrors.of(e, p.toString());
    }
  }

  /** A mode change: nothing to store; accepted where the user may write, "permission denied" elsewhere. */
  static void setMode(PortalPath p) throws IOException {
    PortalFileSystem pfs = p.getFileSystem();
    FsEntry e = pfs.stat(p);
    PortalFs fs = pfs.portal();
    boolean writable = !e.path().isRoot() && (fs.allowed(FsPermission.PUT, e.path())
        || fs.allowed(e.directory() ? FsPermission.MKDIR : FsPermission.DELETE, e.path()));
    if (!writable) throw new AccessDeniedException(p.toString(), null, "the mode of portal files cannot be changed");
  }

  static NodeAttributes attributes(PortalPath p) throws IOException {
    PortalFileSystem fs = p.getFileSystem();
    return new NodeAttributes(fs.stat(p), fs.portal(), fs.owner());
  }

  private static PortalPath portal(Path path) {
    if (path instanceof PortalPath p) return p;
    throw new ProviderMismatchException("not a portal path: " + path);
  }
}
