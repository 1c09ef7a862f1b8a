package org.ecpds.portal.vfs;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NIO provider of the portal's virtual, read-only file systems (one per session, never registered
 * globally). Protocol servers that work on NIO paths (MINA's SFTP subsystem) get the portal semantics
 * for free: every mutation is refused with {@link AccessDeniedException}.
 */
public final class PortalFileSystemProvider extends FileSystemProvider {
  public static final String SCHEME = "ecpds-portal";
  private static final Set<OpenOption> WRITE_OPTIONS = Set.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
      StandardOpenOption.CREATE, StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING,
      StandardOpenOption.DELETE_ON_CLOSE);

  public PortalFileSystem newFileSystem(PortalSession session) {
    return new PortalFileSystem(this, session);
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
    for (OpenOption o : options) {
      if (WRITE_OPTIONS.contains(o)) throw readOnly(p);
    }
    return p.getFileSystem().openContent(p);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
      throws IOException {
    PortalPath p = portal(dir);
    PortalFileSystem fs = p.getFileSystem();
    List<Path> entries = new ArrayList<>();
    for (String name : fs.children(fs.lookup(p), p)) {
      Path child = p.resolve(name);
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
    throw readOnly(portal(dir));
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs) throws IOException {
    throw readOnly(portal(link));
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    throw readOnly(portal(link));
  }

  @Override
  public void delete(Path path) throws IOException {
    throw readOnly(portal(path));
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    PortalPath p = portal(link);
    p.getFileSystem().lookup(p);
    throw new NotLinkException(p.toString());
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    throw readOnly(portal(target));
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    throw readOnly(portal(source));
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
    Node node = p.getFileSystem().lookup(p);
    for (AccessMode mode : modes) {
      if (mode == AccessMode.WRITE || (mode == AccessMode.EXECUTE && !node.isDirectory())) {
        throw new AccessDeniedException(p.toString(), null, mode + " not allowed");
      }
    }
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
    return type.isAssignableFrom(PosixFileAttributeView.class) ? type.cast(new ReadOnlyAttributeView(portal(path)))
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

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
    throw readOnly(portal(path));
  }

  private static NodeAttributes attributes(PortalPath p) throws IOException {
    PortalFileSystem fs = p.getFileSystem();
    return new NodeAttributes(fs.lookup(p), fs.owner());
  }

  static AccessDeniedException readOnly(Path p) {
    return new AccessDeniedException(p.toString(), null, "read-only portal");
  }

  private static PortalPath portal(Path path) {
    if (path instanceof PortalPath p) return p;
    throw new ProviderMismatchException("not a portal path: " + path);
  }
}
