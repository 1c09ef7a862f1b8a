package org.ecpds.portal.s3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;

/**
 * For running ceph/s3-tests only (see S3ConformanceServer): a {@link MemoryPortal} whose users may
 * create and remove destinations, because the suite makes a fresh bucket for nearly every test. The real
 * portal refuses both; this stands in for an operator who would make them.
 */
final class ConformancePortal implements PortalLogin {
  final MemoryPortal memory = new MemoryPortal();
  private final Set<String> removed = ConcurrentHashMap.newKeySet();
  private final java.util.Map<String, String> owners = new ConcurrentHashMap<>();

  @Override
  public PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException {
    throw new LoginException("S3 only", null);
  }

  @Override
  public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote) throws LoginException {
    throw new LoginException("S3 only", null);
  }

  @Override
  public S3Credentials s3Credentials(String accessKeyId, InetSocketAddress remote) throws LoginException {
    return memory.s3Credentials(accessKeyId, remote);
  }

  @Override
  public PortalFs s3Session(S3Credentials credentials, InetSocketAddress remote) throws LoginException {
    return new Fs(memory.s3Session(credentials, remote));
  }

  private final class Fs implements PortalFs {
    private final PortalFs d;

    Fs(PortalFs d) {
      this.d = d;
    }

    private void check(FsPath p) throws FsException {
      if (!p.isRoot() && removed.contains(p.destination())) throw new FsException(FsException.Kind.NOT_FOUND, p, "removed");
    }

    @Override public String user() { return d.user(); }
    @Override public String protocol() { return d.protocol(); }
    @Override public String remoteAddress() { return d.remoteAddress(); }

    @Override
    public FsEntry stat(FsPath path) throws FsException {
      check(path);
      return d.stat(path);
    }

    @Override
    public List<FsEntry> list(FsPath directory) throws FsException {
      check(directory);
      return d.list(directory).stream().filter(e -> !directory.isRoot() || !removed.contains(e.name())).toList();
    }

    @Override
    public FsReader read(FsPath file) throws IOException {
      check(file);
      return d.read(file);
    }

    @Override
    public FsUpload write(FsPath file) throws IOException {
      check(file);
      return d.write(file);
    }

    @Override
    public FsUpload writeWithParents(FsPath file) throws IOException {
      check(file);
      return d.writeWithParents(file);
    }

    @Override
    public void delete(FsPath file) throws FsException {
      check(file);
      d.delete(file);
    }

    @Override
    public void mkdir(FsPath directory) throws FsException {
      if (!directory.isDestination()) {
        check(directory);
        d.mkdir(directory);
        return;
      }
      String name = directory.name();
      String owner = owners.get(name);
      if (owner != null && !removed.contains(name)) throw new FsException(FsException.Kind.EXISTS, directory, "exists");
      owners.put(name, user());
      memory.grant(user(), name);
      removed.remove(name);
    }

    @Override
    public void rmdir(FsPath directory) throws FsException {
      check(directory);
      if (!directory.isDestination()) {
        d.rmdir(directory);
        return;
      }
      d.stat(directory);
      if (!user().equals(owners.get(directory.name()))) throw new FsException(FsException.Kind.DENIED, directory, "not yours");
      if (!d.list(directory).isEmpty()) throw new FsException(FsException.Kind.NOT_EMPTY, directory, "not empty");
      removed.add(directory.name());
    }

    @Override
    public void rename(FsPath from, FsPath to) throws FsException {
      check(from);
      d.rename(from, to);
    }

    @Override
    public void setModified(FsPath file, long millis) throws FsException {
      check(file);
      d.setModified(file, millis);
    }

    @Override
    public boolean allowed(FsPermission permission, FsPath path) {
      return d.allowed(permission, path);
    }

    @Override
    public void close() {
      d.close();
    }
  }
}
