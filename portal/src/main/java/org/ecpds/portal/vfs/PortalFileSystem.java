package org.ecpds.portal.vfs;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.file.util.BaseFileSystem;
import org.ecpds.portal.DeniedEvents;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PortalFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user's virtual tree for one session: "/" holds the destinations the user may browse, each
 * destination holds its files (target names with slashes form subdirectories). Everything is resolved
 * through the backend; a destination's listing is indexed once and reused for a short while, since a
 * single client command (ls -l) stats every entry.
 */
public final class PortalFileSystem extends BaseFileSystem<PortalPath> {
  private static final Logger LOG = LoggerFactory.getLogger(PortalFileSystem.class);
  private static final long SNAPSHOT_TTL_NANOS = 2_000_000_000L;

  private record Timed(DestinationSnapshot snapshot, long loadedAt) {}

  private final PortalSession session;
  private final long createdMillis = System.currentTimeMillis();
  private final Map<String, Timed> snapshots = new ConcurrentHashMap<>();
  private final Set<String> deniedReported = ConcurrentHashMap.newKeySet();
  private volatile boolean open = true;

  PortalFileSystem(PortalFileSystemProvider provider, PortalSession session) {
    super(provider);
    this.session = session;
  }

  public PortalSession session() {
    return session;
  }

  @Override
  protected PortalPath create(String root, List<String> names) {
    return new PortalPath(this, root, names);
  }

  /** Resolves a path to what it designates; anything the user may not see does not exist. */
  Node lookup(PortalPath path) throws IOException {
    List<String> names = path.canonicalNames();
    if (names.isEmpty()) return new Node.Root(createdMillis);
    DestinationAccess access = browsable(names.get(0), path);
    if (names.size() == 1) return new Node.Directory(access, "", createdMillis);
    String relative = String.join("/", names.subList(1, names.size()));
    DestinationSnapshot snapshot = snapshot(access.getDestination());
    PortalFile file = snapshot.file(relative);
    if (file != null) return new Node.File(access, file);
    if (snapshot.isDirectory(relative)) return new Node.Directory(access, relative, createdMillis);
    throw new NoSuchFileException(path.toString());
  }

  /** Names of the entries of a directory node. */
  Collection<String> children(Node node, PortalPath path) throws IOException {
    if (node instanceof Node.Root) return session.user().browsableDestinations();
    if (node instanceof Node.Directory dir) {
      if (!dir.access().getDir()) {
        deny("Dir not granted on destination " + dir.access().getDestination());
        throw new AccessDeniedException(path.toString(), null, "listing not granted");
      }
      return snapshot(dir.access().getDestination()).children(dir.relative());
    }
    throw new FileSystemException(path.toString(), null, "not a directory");
  }

  /** Opens a file for download; a complete read is reported to the backend when the channel closes. */
  SeekableByteChannel openContent(PortalPath path) throws IOException {
    Node node = lookup(path);
    if (!(node instanceof Node.File f)) throw new FileSystemException(path.toString(), null, "is a directory");
    if (!f.access().getGet()) {
      deny("Get not granted on destination " + f.access().getDestination());
      throw new AccessDeniedException(path.toString(), null, "download not granted");
    }
    PortalFile file = f.file();
    SeekableByteChannel source = session.backend().openContent(file);
    return new ContentChannel(source, file.getSize(), () -> reportDownload(file));
  }

  private DestinationAccess browsable(String destination, PortalPath path) throws NoSuchFileException {
    DestinationAccess access = session.user().access(destination)
        .filter(a -> a.getDir() || a.getGet()).orElse(null);
    if (access == null) {
      if (deniedReported.add(destination)) deny("Destination " + destination + " not granted");
      throw new NoSuchFileException(path.toString());
    }
    return access;
  }

  private DestinationSnapshot snapshot(String destination) throws IOException {
    long now = System.nanoTime();
    Timed t = snapshots.get(destination);
    if (t == null || now - t.loadedAt() > SNAPSHOT_TTL_NANOS) {
      t = new Timed(new DestinationSnapshot(
          session.backend().listFiles(session.user().name(), destination)), now);
      snapshots.put(destination, t);
    }
    return t.snapshot();
  }

  private void reportDownload(PortalFile file) {
    try {
      session.backend().reportDownload(session.user().name(), file, file.getSize(), session.protocol(),
          session.remoteAddress());
    } catch (IOException | RuntimeException e) {
      // Only when the report could not even be queued (outbox full or closed): the client has its bytes.
      LOG.warn("cannot report download of {} by {}: {}", file.getName(), session.user().name(), e.toString());
    }
  }

  private void deny(String message) {
    DeniedEvents.report(session.backend(), session.user().name(), message, session.protocol(),
        session.remoteAddress(), session.moverName());
  }

  UserPrincipal owner() {
    return new Principal(session.user().name());
  }

  @Override
  public void close() {
    open = false;
    snapshots.clear();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isReadOnly() {
    return true;
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
