package org.ecpds.portal.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ecpds.common.events.EventLog;
import org.ecpds.mover.store.StoredFile;
import org.ecpds.portal.DeniedEvents;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.ecpds.portal.fs.FsException.Kind;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PortalFile;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's portal file system on a mover. The namespace comes from the master's listings (reused
 * for a short while, dropped after the session's own changes); permissions are checked here with the
 * same rule as the master's so that a refusal costs no round trip, and the master checks again.
 */
final class MoverPortalFs implements PortalFs {
  private static final Logger LOG = LoggerFactory.getLogger(MoverPortalFs.class);

  private record Timed(DestinationTree tree, long loadedAt) {}

  /** What a path designates: a directory (file null) or a data file, and the grant it is under. */
  private record Found(FsEntry entry, PortalFile file, DestinationAccess access) {}

  private final MoverPortal portal;
  private final PortalBackend backend;
  private final PortalUser user;
  private final String protocol;
  private final String address;
  private final PortalBackend.Caller caller;
  private final long createdMillis = System.currentTimeMillis();
  private final Map<String, Timed> trees = new ConcurrentHashMap<>();
  private final Set<String> deniedReported = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** False for a view of another session ({@link #overProtocol}): the session holds the user's slot. */
  private final boolean ownsSlot;

  MoverPortalFs(MoverPortal portal, PortalUser user, String protocol, String address) {
    this(portal, user, protocol, address, true);
  }

  private MoverPortalFs(MoverPortal portal, PortalUser user, String protocol, String address, boolean ownsSlot) {
    this.ownsSlot = ownsSlot;
    this.portal = portal;
    this.backend = portal.backend;
    this.user = user;
    this.protocol = protocol;
    this.address = address;
    this.caller = new PortalBackend.Caller(user.name(), protocol, address);
  }

  @Override public String user() { return user.name(); }
  @Override public String protocol() { return protocol; }
  @Override public String remoteAddress() { return address; }

  @Override
  public PortalFs overProtocol(String other) {
    return other.equals(protocol) ? this : new MoverPortalFs(portal, user, other, address, false);
  }

  // ------------------------------------------------------------------------------------ lookups

  private DestinationAccess visible(String destination) {
    return user.access(destination).filter(a -> a.getDir() || a.getGet()).orElse(null);
  }

  /** The grant of the path's destination; an ungranted destination does not exist for this user. */
  private DestinationAccess access(FsPath path) throws FsException {
    DestinationAccess a = path.isRoot() ? null : visible(path.destination());
    if (a == null) {
      if (!path.isRoot() && deniedReported.add(path.destination())) deny("Destination " + path.destination() + " not granted");
      throw notFound(path);
    }
    return a;
  }

  private Found find(FsPath path) throws FsException {
    if (path.isRoot()) return new Found(directory(path), null, null);
    DestinationAccess a = access(path);
    if (path.isDestination()) return new Found(directory(path), null, a);
    DestinationTree tree = tree(path.destination());
    PortalFile f = tree.file(path.relative());
    if (f != null) return new Found(fileEntry(path, f), f, a);
    if (tree.isDirectory(path.relative())) return new Found(directory(path), null, a);
    throw notFound(path);
  }

  private FsEntry directory(FsPath path) {
    return new FsEntry(path, true, 0, createdMillis, "d" + Integer.toHexString(path.hashCode()));
  }

  private FsEntry fileEntry(FsPath path, PortalFile f) {
    return new FsEntry(path, false, f.getSize(), portal.modified(f.getDataFileId(), f.getModifiedMillis()),
        "df" + f.getDataFileId(), f.getMetadataMap());
  }

  private DestinationTree tree(String destination) throws FsException {
    long now = System.nanoTime();
    Timed t = trees.get(destination);
    if (t == null || now - t.loadedAt() > portal.settings.listingTtl().toNanos()) {
      try {
        t = new Timed(new DestinationTree(backend.listing(user.name(), destination)), now);
      } catch (IOException e) {
        throw new FsException(Kind.UNAVAILABLE, FsPath.ROOT, "cannot list " + destination + " just now", e);
      }
      trees.put(destination, t);
    }
    return t.tree();
  }

  /** After a change made by this session: the next lookup asks the master again. */
  private void forget(String destination) {
    trees.remove(destination);
    backend.forgetListing(user.name(), destination);
  }

  private void require(FsPermission p, FsPath path, DestinationAccess a) throws FsException {
    if (a == null || !portal.rule.allows(a, p, path.relative())) {
      String name = p.name().charAt(0) + p.name().substring(1).toLowerCase(Locale.ROOT);
      deny(name + " not granted on " + path);
      throw new FsException(Kind.DENIED, path, p.name().toLowerCase(Locale.ROOT) + " not granted on " + path);
    }
  }

  private void deny(String message) {
    DeniedEvents.report(backend, user.name(), message, protocol, address, portal.moverName);
  }

  /** A refusal from the master: its own records have it, the local event log gets the DEA line. */
  private FsException fromMaster(FsException e) {
    if (e.kind() == Kind.DENIED || e.kind() == Kind.QUOTA_EXCEEDED) EventLog.denied(user.name(), e.getMessage(), protocol, portal.moverName, address);
    return e;
  }

  private static FsException notFound(FsPath path) {
    return new FsException(Kind.NOT_FOUND, path, "no such file or directory: " + path);
  }

  private static boolean fixed(FsPath path) {
    return path.isRoot() || path.isDestination();
  }

  // ---------------------------------------------------------------------------------- reading

  @Override
  public FsEntry stat(FsPath path) throws FsException {
    return find(path).entry();
  }

  @Override
  public List<FsEntry> list(FsPath directory) throws FsException {
    List<FsEntry> out = new ArrayList<>();
    if (directory.isRoot()) {
      for (String d : user.browsableDestinations()) out.add(directory(directory.child(d)));
      return out;
    }
    Found dir = find(directory);
    if (!dir.entry().directory()) throw new FsException(Kind.NOT_DIRECTORY, directory, "not a directory: " + directory);
    require(FsPermission.DIR, directory, dir.access());
    DestinationTree tree = tree(directory.destination());
    for (String name : tree.children(directory.relative())) {
      FsPath child = directory.child(name);
      PortalFile f = tree.file(child.relative());
      out.add(f != null ? fileEntry(child, f) : directory(child));
    }
    return out;
  }

  @Override
  public FsReader read(FsPath file) throws IOException {
    Found found = find(file);
    if (found.file() == null) throw new FsException(Kind.IS_DIRECTORY, file, "is a directory: " + file);
    require(FsPermission.GET, file, found.access());
    PortalFile f = found.file();
    if (user.limits().getDownloadQuota()) {
      try {
        backend.requireDownload(caller, file, f.getSize());
      } catch (FsException e) {
        throw fromMaster(e);
      }
    }
    SeekableByteChannel content;
    try {
      content = backend.openContent(f);
    } catch (IOException e) {
      throw new FsException(Kind.UNAVAILABLE, file, "content of " + file + " is not available on this mover", e);
    }
    long start = System.nanoTime();
    return new MoverReader(found.entry(), content, () -> downloaded(file, f, start), bytes -> downloadedPart(file, f, bytes));
  }

  private void downloaded(FsPath path, PortalFile f, long startNanos) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("DataFileId", f.getDataFileId());
    e.put("TransferId", f.getTransferId());
    e.put("UserId", user.name());
    e.put("Target", path.toString());
    e.put("Duration", (System.nanoTime() - startNanos) / 1_000_000);
    e.put("BytesSent", f.getSize());
    e.put("TransferProtocol", protocol);
    e.put("TransferServer", portal.moverName);
    e.put("HostAddress", address);
    e.put("Action", "download");
    EventLog.write("INH", e);
    try {
      backend.reportDownload(user.name(), f, f.getSize(), protocol, address);
    } catch (IOException | RuntimeException ex) {
      // Only when the report could not even be queued (outbox full or closed): the client has its bytes.
      LOG.warn("cannot report download of {} by {}: {}", path, user.name(), ex.toString());
    }
  }

  private void downloadedPart(FsPath path, PortalFile f, long bytes) {
    try {
      backend.reportPartialDownload(user.name(), f, bytes, protocol, address);
    } catch (IOException | RuntimeException ex) {
      LOG.warn("cannot report partial download of {} by {}: {}", path, user.name(), ex.toString());
    }
  }

  @Override
  public void refused(String message) {
    deny(message);
  }

  @Override
  public boolean allowed(FsPermission permission, FsPath path) {
    if (path.isRoot()) return false;
    DestinationAccess a = visible(path.destination());
    return a != null && portal.rule.allows(a, permission, path.relative());
  }

  // ---------------------------------------------------------------------------------- changes

  @Override
  public FsUpload write(FsPath file) throws IOException {
    return startUpload(file, false);
  }

  @Override
  public FsUpload writeWithParents(FsPath file) throws IOException {
    return startUpload(file, true);
  }

  /** With {@code parentsImplied} the nearest existing ancestor must be a directory; otherwise the parent. */
  private FsUpload startUpload(FsPath file, boolean parentsImplied) throws IOException {
    if (fixed(file)) throw new FsException(Kind.DENIED, file, "files are written inside a destination: " + file);
    DestinationAccess a = access(file);
    require(FsPermission.PUT, file, a);
    Found existing = findOrNull(file);
    if (existing != null && existing.entry().directory()) throw new FsException(Kind.IS_DIRECTORY, file, "is a directory: " + file);
    FsPath parent = file.parent();
    Found above = parentsImplied ? findOrNull(parent) : find(parent);
    while (above == null) {
      parent = parent.parent(); // the destination itself always exists here (access() found it)
      above = findOrNull(parent);
    }
    if (!above.entry().directory()) throw new FsException(Kind.NOT_DIRECTORY, file, "a file is in the way: " + parent);
    if (!portal.canStore()) throw new FsException(Kind.UNAVAILABLE, file, "uploads are not enabled on this mover");
    long quota = -1; // what is left of the user's upload quota, as the master counts it now
    if (user.limits().getUploadQuota()) {
      try {
        quota = backend.uploadRemaining(caller, file);
      } catch (FsException e) {
        throw fromMaster(e);
      }
      if (quota == 0) throw quotaExceeded(file, "upload quota used up");
    }
    Path temp;
    FileChannel channel;
    try {
      temp = portal.store.newTempFile();
      channel = FileChannel.open(temp, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new FsException(Kind.UNAVAILABLE, file, "cannot start the upload: " + e.getMessage(), e);
    }
    return new MoverUpload(file, temp, channel, this::publish, quota, this::quotaExceeded);
  }

  /** A refusal decided here from the master's count (the master decides again at registration). */
  private FsException quotaExceeded(FsPath path, String message) {
    deny(message + " for " + path);
    return new FsException(Kind.QUOTA_EXCEEDED, path, message + " for " + path);
  }

  private Found findOrNull(FsPath path) throws FsException {
    try {
      return find(path);
    } catch (FsException e) {
      if (e.kind() == Kind.NOT_FOUND) return null;
      throw e;
    }
  }

  /** An upload's commit: register, publish in the store, report Stored and wait for the master's ack. */
  private FsEntry publish(MoverUpload u, Map<String, String> metadata) throws FsException {
    FsPath path = u.path();
    if (!portal.reporter.isConnected()) throw new FsException(Kind.UNAVAILABLE, path, "mover is not connected to the master; retry later");
    long id;
    try {
      id = backend.registerUpload(caller, path, u.written(), portal.moverName, metadata);
    } catch (FsException e) {
      throw fromMaster(e);
    }
    StoredFile stored;
    try {
      stored = portal.store.publish(id, u.temp(), u.written(), u.sha256());
    } catch (IOException e) {
      throw new FsException(Kind.UNAVAILABLE, path, "cannot store " + path + ": " + e.getMessage(), e);
    }
    // From here the content is the reporter's: it stays until the master accepts or refuses it for
    // good (deleting it on an ack that was only late would leave the master a data file without content).
    String failure;
    try {
      StoredAck ack = portal.reporter.reportStored(Stored.newBuilder().setDataFileId(id).setSize(stored.size())
          .setSha256(stored.sha256()).setVolume(stored.volume().toString()).build())
          .get(portal.settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
      failure = ack.getOk() ? null : ack.getRefused() ? "master refused data file " + id + ": " + ack.getMessage()
          : "master could not record data file " + id + " yet: " + ack.getMessage();
    } catch (TimeoutException e) {
      failure = "master did not acknowledge within " + portal.settings.ackTimeout().toSeconds() + " s";
    } catch (ExecutionException e) {
      failure = "master unreachable: " + e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted while waiting for the master";
    }
    forget(path.destination());
    if (failure != null) throw new FsException(Kind.UNAVAILABLE, path, failure);
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("DataFileId", id);
    e.put("UserId", user.name());
    e.put("Target", path.toString());
    e.put("Duration", (System.nanoTime() - u.startNanos()) / 1_000_000);
    e.put("BytesSent", stored.size());
    e.put("TransferProtocol", protocol);
    e.put("TransferServer", portal.moverName);
    e.put("HostAddress", address);
    e.put("Action", "upload");
    EventLog.write("INH", e);
    return new FsEntry(path, false, stored.size(), System.currentTimeMillis(), "df" + id, metadata);
  }

  @Override
  public void delete(FsPath file) throws FsException {
    Found found = find(file);
    if (found.file() == null) throw new FsException(Kind.IS_DIRECTORY, file, "is a directory: " + file);
    require(FsPermission.DELETE, file, found.access());
    try {
      backend.deleteFile(caller, file);
    } catch (FsException e) {
      throw fromMaster(e);
    } finally {
      forget(file.destination());
    }
  }

  @Override
  public void mkdir(FsPath directory) throws FsException {
    if (fixed(directory)) {
      if (directory.isRoot() || visible(directory.destination()) != null) throw new FsException(Kind.EXISTS, directory, "exists: " + directory);
      throw new FsException(Kind.DENIED, directory, "destinations are created by operators");
    }
    DestinationAccess a = access(directory);
    require(FsPermission.MKDIR, directory, a);
    if (findOrNull(directory) != null) throw new FsException(Kind.EXISTS, directory, "exists: " + directory);
    if (!find(directory.parent()).entry().directory()) throw new FsException(Kind.NOT_DIRECTORY, directory, "parent is a file: " + directory);
    try {
      backend.makeDirectory(caller, directory);
    } catch (FsException e) {
      throw fromMaster(e);
    } finally {
      forget(directory.destination());
    }
  }

  @Override
  public void rmdir(FsPath directory) throws FsException {
    Found found = find(directory);
    if (!found.entry().directory()) throw new FsException(Kind.NOT_DIRECTORY, directory, "not a directory: " + directory);
    if (fixed(directory)) throw new FsException(Kind.DENIED, directory, "destinations are removed by operators");
    require(FsPermission.RMDIR, directory, found.access());
    if (!tree(directory.destination()).children(directory.relative()).isEmpty()) {
      throw new FsException(Kind.NOT_EMPTY, directory, "not empty: " + directory);
    }
    try {
      backend.removeDirectory(caller, directory);
    } catch (FsException e) {
      throw fromMaster(e);
    } finally {
      forget(directory.destination());
    }
  }

  @Override
  public void rename(FsPath from, FsPath to) throws FsException {
    Found found = find(from);
    if (fixed(from) || fixed(to)) throw new FsException(Kind.DENIED, from, "destinations cannot be renamed");
    require(FsPermission.RENAME, from, found.access());
    if (!from.destination().equals(to.destination())) throw new FsException(Kind.DENIED, to, "cannot move between destinations");
    require(FsPermission.RENAME, to, found.access());
    if (from.contains(to) && !from.equals(to)) throw new FsException(Kind.INVALID_NAME, to, "cannot move a directory into itself");
    if (!find(to.parent()).entry().directory()) throw new FsException(Kind.NOT_DIRECTORY, to, "parent is a file: " + to);
    Found target = findOrNull(to);
    if (target != null && target.entry().directory()) throw new FsException(Kind.EXISTS, to, "a directory exists at " + to);
    if (from.equals(to)) return;
    try {
      backend.rename(caller, from, to);
    } catch (FsException e) {
      throw fromMaster(e);
    } finally {
      forget(from.destination());
    }
  }

  /** Accepted with MTIME; only the time shown by this mover changes, the data file keeps its arrival time. */
  @Override
  public void setModified(FsPath file, long millis) throws FsException {
    Found found = find(file);
    require(FsPermission.MTIME, file, found.access());
    if (found.file() != null) portal.setModified(found.file().getDataFileId(), millis);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      trees.clear();
      if (ownsSlot) portal.released(user.name());
    }
  }
}
