package org.ecpds.portal.sftp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PortalFile;

/**
 * Test double standing in for the master (built concurrently by another engineer): users, grants and
 * listings live in memory, content comes from real files in a temp directory, and every report is
 * recorded for assertions.
 */
final class InMemoryPortalBackend implements PortalBackend {
  record Download(String user, String name, long bytes, String protocol) {}

  record Denial(String user, String message, String protocol) {}

  private record Account(String password, PortalUser user) {}

  private final Map<String, Account> accounts = new ConcurrentHashMap<>();
  private final Map<String, List<PortalFile>> files = new ConcurrentHashMap<>();
  private final Map<Long, Path> content = new ConcurrentHashMap<>();
  final List<Download> downloads = new CopyOnWriteArrayList<>();
  final List<Denial> denials = new CopyOnWriteArrayList<>();
  private long nextId = 1;

  void addUser(String name, String password, DestinationAccess... grants) {
    accounts.put(name, new Account(password, new PortalUser(name, List.of(grants))));
  }

  synchronized void addFile(String destination, String name, Path data) throws IOException {
    long id = nextId++;
    content.put(id, data);
    files.computeIfAbsent(destination, d -> new CopyOnWriteArrayList<>()).add(PortalFile.newBuilder()
        .setName(name).setSize(java.nio.file.Files.size(data)).setModifiedMillis(1_700_000_000_000L)
        .setDataFileId(id).setTransferId(1000 + id).setStatus("HOLD").build());
  }

  static DestinationAccess grant(String destination, boolean get, boolean dir) {
    return DestinationAccess.newBuilder().setDestination(destination).setGet(get).setDir(dir).build();
  }

  void reset() {
    downloads.clear();
    denials.clear();
  }

  @Override
  public Optional<PortalUser> authenticate(String user, String password, String protocol, String remoteAddress) {
    Account a = accounts.get(user);
    return a != null && a.password().equals(password) ? Optional.of(a.user()) : Optional.empty();
  }

  @Override
  public List<PortalFile> listFiles(String user, String destination) {
    return new ArrayList<>(files.getOrDefault(destination, List.of()));
  }

  @Override
  public SeekableByteChannel openContent(PortalFile file) throws IOException {
    Path p = content.get(file.getDataFileId());
    if (p == null) throw new NoSuchFileException("data file " + file.getDataFileId());
    return FileChannel.open(p);
  }

  @Override
  public void reportDownload(String user, PortalFile file, long bytes, String protocol, String remoteAddress) {
    downloads.add(new Download(user, file.getName(), bytes, protocol));
  }

  /** This backend keeps no quotas: partial reads count nothing here. */
  @Override
  public void reportPartialDownload(String user, PortalFile file, long bytes, String protocol, String remoteAddress) {}

  @Override
  public void denied(String user, String message, String protocol, String remoteAddress) {
    denials.add(new Denial(user, message, protocol));
  }
}
