package org.ecpds.portal.fs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The portal file system's contract held in memory, for protocol-adapter tests: same namespace,
 * permissions and error kinds as the real one (PortalFsContractTest holds both to it), no master,
 * no store. Records completed downloads and committed uploads so tests can assert the accounting.
 */
public final class MemoryPortal implements PortalLogin {

  public record Stored(byte[] content, long modifiedMillis, String etag, Map<String, String> metadata) {
    public Stored(byte[] content, long modifiedMillis, String etag) {
      this(content, modifiedMillis, etag, Map.of());
    }
  }

  public record Download(String user, String protocol, FsPath path) {}

  private final Map<String, String> passwords = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Set<FsPermission>>> grants = new ConcurrentHashMap<>();
  private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
  private final Map<String, S3Credentials> s3Keys = new ConcurrentHashMap<>();
  private final Map<FsPath, Stored> files = new ConcurrentHashMap<>();
  private final Set<FsPath> dirs = ConcurrentHashMap.newKeySet();
  private final Set<String> destinations = ConcurrentHashMap.newKeySet();
  private final AtomicLong versions = new AtomicLong();
  public final List<Download> downloads = new CopyOnWriteArrayList<>();
  public final List<String> denied = new CopyOnWriteArrayList<>();
  /** Bytes written so far by the uploads in progress, by path (a test sees where a server is in an upload). */
  public final Map<String, Long> uploading = new java.util.concurrent.ConcurrentHashMap<>();

  public MemoryPortal destination(String name) {
    destinations.add(name);
    return this;
  }

  public MemoryPortal user(String name, String password) {
    passwords.put(name, password);
    return this;
  }

  public MemoryPortal key(String user, PublicKey key) {
    keys.put(user, key);
    return this;
  }

  public MemoryPortal s3Key(String user, String accessKeyId, String secretKey) {
    s3Keys.put(accessKeyId, new S3Credentials(accessKeyId, secretKey, user));
    return this;
  }

  /** Grants permissions on a destination (all of them when none are named). */
  public MemoryPortal grant(String user, String destination, FsPermission... permissions) {
    destinations.add(destination);
    grants.computeIfAbsent(user, u -> new ConcurrentHashMap<>()).put(destination,
        permissions.length == 0 ? EnumSet.allOf(FsPermission.class) : EnumSet.of(permissions[0], permissions));
    return this;
  }

  /** Puts a file as if it had been disseminated to the destination. */
  public MemoryPortal file(String path, byte[] content) {
    try {
      files.put(FsPath.parse(path), new Stored(content.clone(), System.currentTimeMillis(), "m" + versions.incrementAndGet()));
    } catch (FsException e) {
      throw new IllegalArgumentException(e);
    }
    return this;
  }

  public Stored stored(String path) throws FsException {
    return files.get(FsPath.parse(path));
  }

  /** The paths of every stored file. */
  public Set<String> files() {
    Set<String> out = new java.util.TreeSet<>();
    for (FsPath p : files.keySet()) out.add(p.toString());
    return out;
  }

  @Override
  public PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException {
    String expected = passwords.get(user);
    if (expected == null || !expected.equals(password)) {
      denied.add(user + ": login");
      throw new LoginException("Password authentication failed", null);
    }
    return new Session(user, protocol, remote.getHostString());
  }

  @Override
  public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote) throws LoginException {
    PublicKey expected = keys.get(user);
    if (expected == null || !expected.equals(key)) throw new LoginException("Public key authentication failed", null);
    return new Session(user, protocol, remote.getHostString());
  }

  @Override
  public S3Credentials s3Credentials(String accessKeyId, InetSocketAddress remote) throws LoginException {
    S3Credentials c = s3Keys.get(accessKeyId);
    if (c == null) throw new LoginException("unknown access key", null);
    return c;
  }

  @Override
  public PortalFs s3Session(S3Credentials credentials, InetSocketAddress remote) {
    return new Session(credentials.user(), "s3", remote.getHostString());
  }

  private final class Session implements PortalFs {
    private final String user;
    private final String protocol;
    private final String address;

    Session(String user, String protocol, String address) {
      this.user = user;
      this.protocol = protocol;
      this.address = address;
    }

    @Override public String user() { return user; }
    @Override public String protocol() { return protocol; }
    @Override public String remoteAddress() { return address; }

    @Override
    public PortalFs overProtocol(String other) {
      return new Session(user, other, address);
    }

    private Set<FsPermission> perms(String destination) {
      return grants.getOrDefault(user, Map.of()).getOrDefault(destination, Set.of());
    }

    private boolean visible(String destination) {
      Set<FsPermission> p = perms(destination);
      return destinations.contains(destination) && (p.contains(FsPermission.DIR) || p.contains(FsPermission.GET));
    }

    @Override
    public boolean allowed(FsPermission permission, FsPath path) {
      return !path.isRoot() && perms(path.destination()).contains(permission);
    }

    private void require(FsPermission p, FsPath path) throws FsException {
      if (path.isRoot() || !visible(path.destination())) throw new FsException(FsException.Kind.NOT_FOUND, path, "no such file: " + path);
      if (!allowed(p, path)) {
        denied.add(user + ": " + p + " " + path);
        throw new FsException(FsException.Kind.DENIED, path, p.name().toLowerCase() + " not granted on " + path);
      }
    }

    private boolean isDir(FsPath p) {
      if (p.isRoot()) return true;
      if (!visible(p.destination())) return false;
      if (p.isDestination() || dirs.contains(p)) return true;
      return files.keySet().stream().anyMatch(f -> !f.equals(p) && p.contains(f));
    }

    @Override
    public FsEntry stat(FsPath path) throws FsException {
      if (isDir(path)) return new FsEntry(path, true, 0, 0, "d" + path.hashCode());
      Stored s = path.isRoot() || !visible(path.destination()) ? null : files.get(path);
      if (s == null) throw new FsException(FsException.Kind.NOT_FOUND, path, "no such file: " + path);
      return new FsEntry(path, false, s.content().length, s.modifiedMillis(), s.etag(), s.metadata());
    }

    @Override
    public List<FsEntry> list(FsPath directory) throws FsException {
      if (directory.isRoot()) {
        List<FsEntry> out = new ArrayList<>();
        for (String d : new TreeSet<>(destinations)) if (visible(d)) out.add(stat(FsPath.ROOT.child(d)));
        return out;
      }
      FsEntry self = stat(directory);
      if (!self.directory()) throw new FsException(FsException.Kind.NOT_DIRECTORY, directory, "not a directory: " + directory);
      require(FsPermission.DIR, directory);
      TreeSet<String> names = new TreeSet<>();
      int depth = directory.segments().size();
      for (FsPath p : files.keySet()) if (directory.contains(p) && !p.equals(directory)) names.add(p.segments().get(depth));
      for (FsPath p : dirs) if (directory.contains(p) && !p.equals(directory)) names.add(p.segments().get(depth));
      List<FsEntry> out = new ArrayList<>();
      for (String n : names) out.add(stat(directory.child(n)));
      return out;
    }

    @Override
    public FsReader read(FsPath file) throws IOException {
      FsEntry e = stat(file);
      if (e.directory()) throw new FsException(FsException.Kind.IS_DIRECTORY, file, "is a directory: " + file);
      require(FsPermission.GET, file);
      byte[] content = files.get(file).content();
      DeliveredRanges delivered = new DeliveredRanges();
      return new FsReader() {
        private boolean reported;

        @Override public FsEntry entry() { return e; }

        @Override
        public int read(ByteBuffer dst, long position) {
          if (position >= content.length) return -1;
          int n = (int) Math.min(dst.remaining(), content.length - position);
          dst.put(content, (int) position, n);
          delivered.add(position, position + n);
          return n;
        }

        @Override
        public synchronized void close() {
          if (!reported && delivered.contiguous() >= content.length) {
            reported = true;
            downloads.add(new Download(user, protocol, file));
          }
        }
      };
    }

    @Override
    public FsUpload write(FsPath file) throws IOException {
      return upload(file, false);
    }

    /** As the mover's portal: a file's target name carries its directories, so PUT alone suffices. */
    @Override
    public FsUpload writeWithParents(FsPath file) throws IOException {
      return upload(file, true);
    }

    private FsUpload upload(FsPath file, boolean parentsImplied) throws IOException {
      if (file.isRoot() || file.isDestination()) throw new FsException(FsException.Kind.DENIED, file, "cannot write here: " + file);
      require(FsPermission.PUT, file);
      if (isDir(file)) throw new FsException(FsException.Kind.IS_DIRECTORY, file, "is a directory: " + file);
      FsPath above = file.parent();
      while (parentsImplied && !above.isDestination() && !isDir(above) && !files.containsKey(above)) above = above.parent();
      FsEntry parent = stat(above);
      if (!parent.directory()) throw new FsException(FsException.Kind.NOT_DIRECTORY, file, "parent is a file: " + file);
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      return new FsUpload() {
        private boolean open = true;
        private FsEntry committed;

        @Override public FsPath path() { return file; }
        @Override public long written() { return buffer.size(); }
        @Override public boolean isOpen() { return open; }

        @Override
        public int write(ByteBuffer src) throws IOException {
          if (!open || committed != null) throw new ClosedChannelException();
          int n = src.remaining();
          byte[] b = new byte[n];
          src.get(b);
          buffer.write(b);
          uploading.put(file.toString(), (long) buffer.size());
          return n;
        }

        @Override
        public synchronized FsEntry commit(Map<String, String> metadata) throws FsException {
          if (committed != null) return committed;
          files.put(file, new Stored(buffer.toByteArray(), System.currentTimeMillis(), "m" + versions.incrementAndGet(),
              metadata));
          committed = stat(file);
          open = false;
          uploading.remove(file.toString());
          return committed;
        }

        @Override
        public void close() {
          open = false;
          uploading.remove(file.toString());
        }
      };
    }

    @Override
    public void delete(FsPath file) throws FsException {
      FsEntry e = stat(file);
      if (e.directory()) throw new FsException(FsException.Kind.IS_DIRECTORY, file, "is a directory: " + file);
      require(FsPermission.DELETE, file);
      files.remove(file);
    }

    @Override
    public void mkdir(FsPath directory) throws FsException {
      if (directory.isRoot() || directory.isDestination()) {
        if (isDir(directory)) throw new FsException(FsException.Kind.EXISTS, directory, "exists: " + directory);
        throw new FsException(FsException.Kind.DENIED, directory, "destinations are created by operators");
      }
      require(FsPermission.MKDIR, directory);
      if (isDir(directory) || files.containsKey(directory)) throw new FsException(FsException.Kind.EXISTS, directory, "exists: " + directory);
      if (!stat(directory.parent()).directory()) throw new FsException(FsException.Kind.NOT_DIRECTORY, directory, "parent is a file");
      dirs.add(directory);
    }

    @Override
    public void rmdir(FsPath directory) throws FsException {
      FsEntry e = stat(directory);
      if (!e.directory()) throw new FsException(FsException.Kind.NOT_DIRECTORY, directory, "not a directory: " + directory);
      if (directory.isRoot() || directory.isDestination()) throw new FsException(FsException.Kind.DENIED, directory, "destinations are removed by operators");
      require(FsPermission.RMDIR, directory);
      boolean empty = files.keySet().stream().noneMatch(directory::contains)
          && dirs.stream().noneMatch(d -> !d.equals(directory) && directory.contains(d));
      if (!empty) throw new FsException(FsException.Kind.NOT_EMPTY, directory, "not empty: " + directory);
      dirs.remove(directory);
    }

    @Override
    public void rename(FsPath from, FsPath to) throws FsException {
      FsEntry e = stat(from);
      if (from.isRoot() || from.isDestination() || to.isRoot() || to.isDestination()) throw new FsException(FsException.Kind.DENIED, from, "destinations cannot be renamed");
      require(FsPermission.RENAME, from);
      if (!from.destination().equals(to.destination())) throw new FsException(FsException.Kind.DENIED, to, "cannot move between destinations");
      if (from.contains(to) && !from.equals(to)) throw new FsException(FsException.Kind.INVALID_NAME, to, "cannot move a directory into itself");
      if (!stat(to.parent()).directory()) throw new FsException(FsException.Kind.NOT_DIRECTORY, to, "parent is a file");
      if (isDir(to)) throw new FsException(FsException.Kind.EXISTS, to, "a directory exists at " + to);
      if (!e.directory()) {
        files.put(to, files.remove(from));
        return;
      }
      for (FsPath f : new ArrayList<>(files.keySet())) if (from.contains(f)) files.put(rebase(f, from, to), files.remove(f));
      for (FsPath d : new ArrayList<>(dirs)) if (from.contains(d)) { dirs.remove(d); dirs.add(rebase(d, from, to)); }
    }

    private FsPath rebase(FsPath p, FsPath from, FsPath to) throws FsException {
      FsPath out = to;
      for (String s : p.segments().subList(from.segments().size(), p.segments().size())) out = out.child(s);
      return out;
    }

    @Override
    public void setModified(FsPath file, long millis) throws FsException {
      FsEntry e = stat(file);
      require(FsPermission.MTIME, file);
      if (!e.directory()) files.computeIfPresent(file, (k, s) -> new Stored(s.content(), millis, s.etag(), s.metadata()));
    }

    @Override
    public void close() {}
  }
}
