package org.ecpds.portal.fs;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.ecpds.proto.PortalFile;

/**
 * A backend that records every download report as "user /destination/name" when it is handed over
 * (before the outbox sends it), so that tests can assert the accounting without waiting for the master.
 */
final class RecordingBackend implements PortalBackend {
  private final PortalBackend d;
  private final List<String> downloads;
  private final Map<Long, String> paths = new ConcurrentHashMap<>();

  RecordingBackend(PortalBackend delegate, List<String> downloads) {
    this.d = delegate;
    this.downloads = downloads;
  }

  @Override public Optional<PortalUser> authenticate(String u, String p, String pr, String a) { return d.authenticate(u, p, pr, a); }
  @Override public List<PortalFile> listFiles(String u, String dest) throws IOException { return listing(u, dest).files(); }
  @Override public void forgetListing(String u, String dest) { d.forgetListing(u, dest); }
  @Override public SeekableByteChannel openContent(PortalFile f) throws IOException { return d.openContent(f); }
  @Override public void denied(String u, String m, String p, String a) { d.denied(u, m, p, a); }
  @Override public Optional<PortalUser> authenticateKey(String u, String k, String p, String a) { return d.authenticateKey(u, k, p, a); }
  @Override public long uploadRemaining(Caller c, FsPath p) throws FsException { return d.uploadRemaining(c, p); }
  @Override public void requireDownload(Caller c, FsPath p, long b) throws FsException { d.requireDownload(c, p, b); }
  @Override public long registerUpload(Caller c, FsPath p, long s, String m, java.util.Map<String, String> meta)
      throws FsException { return d.registerUpload(c, p, s, m, meta); }
  @Override public void deleteFile(Caller c, FsPath p) throws FsException { d.deleteFile(c, p); }
  @Override public void makeDirectory(Caller c, FsPath p) throws FsException { d.makeDirectory(c, p); }
  @Override public void removeDirectory(Caller c, FsPath p) throws FsException { d.removeDirectory(c, p); }
  @Override public void rename(Caller c, FsPath f, FsPath t) throws FsException { d.rename(c, f, t); }

  @Override
  public Listing listing(String user, String destination) throws IOException {
    Listing l = d.listing(user, destination);
    for (PortalFile f : l.files()) paths.put(f.getTransferId(), "/" + destination + "/" + f.getName());
    return l;
  }

  @Override
  public void reportDownload(String user, PortalFile file, long bytes, String protocol, String address) throws IOException {
    downloads.add(user + " " + paths.get(file.getTransferId()));
    d.reportDownload(user, file, bytes, protocol, address);
  }

  @Override
  public void reportPartialDownload(String user, PortalFile file, long bytes, String protocol, String address)
      throws IOException {
    d.reportPartialDownload(user, file, bytes, protocol, address);
  }
}
