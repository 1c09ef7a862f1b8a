package org.ecpds.mover.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mover's content store over one or more volume directories.
 *
 * <p>Layout of a volume: {@code <vol>/data/<aa>/<bb>/<id>} for stored files (two levels of 256
 * directories keyed on the low bits of the id, so consecutive ids spread evenly) and
 * {@code <vol>/.tmp/} for files being received. A file only appears under its final name once its
 * content is complete and fsynced; the final name is created with a hard link, which fails when the
 * name exists, so a stored data file can never be overwritten.
 */
public final class DataStore {
  private static final Logger LOG = LoggerFactory.getLogger(DataStore.class);
  private static final int BUFFER = 1 << 20;
  private static final int FIRST_BUFFER = 64 * 1024;
  static final String DATA = "data";
  static final String TMP = ".tmp";

  private final List<Path> volumes;
  /** Ids being received right now: a second concurrent upload of the same id is refused early. */
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

  private DataStore(List<Path> volumes) {
    this.volumes = volumes;
  }

  /** Opens (creating when needed) the volumes and removes temp files left by a crash. */
  public static DataStore open(List<Path> volumeDirs) throws IOException {
    if (volumeDirs.isEmpty()) throw new IllegalArgumentException("a data store needs at least one volume");
    List<Path> vols = new ArrayList<>();
    for (Path v : volumeDirs) {
      Path abs = v.toAbsolutePath().normalize();
      Files.createDirectories(abs.resolve(DATA));
      Path tmp = Files.createDirectories(abs.resolve(TMP));
      cleanTemp(tmp);
      vols.add(abs);
    }
    return new DataStore(List.copyOf(vols));
  }

  private static void cleanTemp(Path tmp) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
      for (Path p : ds) {
        LOG.info("removing incomplete file left by an earlier run: {}", p);
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Streams {@code in} into the store under {@code dataFileId}, computing its SHA-256 on the way.
   *
   * @param expectedSize the announced size, or -1 when unknown
   * @throws AlreadyStoredException when the id is held or being stored
   * @throws SizeMismatchException when the content is not {@code expectedSize} bytes long
   * @throws InsufficientSpaceException when no volume has room for {@code expectedSize}
   */
  public StoredFile store(long dataFileId, InputStream in, long expectedSize) throws IOException {
    ensureRoom(dataFileId, expectedSize);
    if (locate(dataFileId).isPresent() || !inFlight.add(dataFileId)) {
      throw new AlreadyStoredException(dataFileId);
    }
    try {
      return receive(dataFileId, in, expectedSize, chooseVolume());
    } finally {
      inFlight.remove(dataFileId);
    }
  }

  private StoredFile receive(long id, InputStream in, long expectedSize, Path volume) throws IOException {
    Path tmp = volume.resolve(TMP).resolve(id + "." + UUID.randomUUID() + ".part");
    try {
      MessageDigest sha = sha256();
      long size = copy(in, tmp, sha, expectedSize);
      if (expectedSize >= 0 && size != expectedSize) throw new SizeMismatchException(id, expectedSize, size);
      Path target = pathFor(volume, id);
      Files.createDirectories(target.getParent());
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyStoredException(id);
      }
      fsyncDirectory(target.getParent());
      return new StoredFile(id, size, HexFormat.of().formatHex(sha.digest()), volume, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A new, empty temp file in the volume with the most room, for content whose data file id is only
   * known once it is complete (portal uploads register at the end). Publish it with {@link #publish};
   * delete it to discard. Temp files left by a crash are removed when the store opens.
   */
  public Path newTempFile() throws IOException {
    Path tmp = chooseVolume().resolve(TMP).resolve("portal." + UUID.randomUUID() + ".part");
    Files.createFile(tmp);
    return tmp;
  }

  /**
   * Gives a complete temp file from {@link #newTempFile} its data file id: fsyncs it, links it under its
   * final name (never overwriting a held id) and removes the temp name. {@code size} and {@code sha256}
   * were computed by the writer while the bytes went in.
   *
   * @throws AlreadyStoredException when the id is held or being stored
   */
  public StoredFile publish(long dataFileId, Path tempFile, long size, String sha256) throws IOException {
    Path abs = tempFile.toAbsolutePath().normalize();
    Path volume = volumes.stream().filter(v -> abs.getParent().equals(v.resolve(TMP))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a temp file of this store: " + tempFile));
    if (locate(dataFileId).isPresent() || !inFlight.add(dataFileId)) throw new AlreadyStoredException(dataFileId);
    try {
      if (Files.size(abs) != size) throw new SizeMismatchException(dataFileId, size, Files.size(abs));
      try (FileChannel ch = FileChannel.open(abs, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Path target = pathFor(volume, dataFileId);
      Files.createDirectories(target.getParent());
      try {
        Files.createLink(target, abs);
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyStoredException(dataFileId);
      }
      fsyncDirectory(target.getParent());
      Files.deleteIfExists(abs);
      return new StoredFile(dataFileId, size, sha256, volume, target);
    } finally {
      inFlight.remove(dataFileId);
    }
  }

  /**
   * Refuses an announced size that no volume can hold, before any byte is read: otherwise the
   * upload would fill the volume, fail at the end and starve the uploads running beside it.
   * Concurrent uploads can still fill a volume; a write then fails and its temp file is removed.
   */
  public void ensureRoom(long dataFileId, long expectedSize) throws InsufficientSpaceException {
    if (expectedSize < 0) return;
    long free = chooseVolume().toFile().getUsableSpace();
    if (expectedSize > free) throw new InsufficientSpaceException(dataFileId, expectedSize, free);
  }

  private static long copy(InputStream in, Path tmp, MessageDigest sha, long expectedSize) throws IOException {
    long size = 0;
    // A 1 MiB buffer for a 10 KiB file was allocated and zeroed for each of them: a seventh of a
    // fetch thread's time with small files. So a known small size gets its size (+1, which shows a
    // longer source) and an unknown one starts small and moves to the full size once it fills.
    byte[] buf = new byte[expectedSize >= 0 && expectedSize < BUFFER ? (int) expectedSize + 1
        : expectedSize < 0 ? FIRST_BUFFER : BUFFER];
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      WriteBehind writeBehind = new WriteBehind(ch);
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        sha.update(buf, 0, n);
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) ch.write(bb);
        size += n;
        writeBehind.written(size);
        if (n == buf.length && buf.length < BUFFER && expectedSize < 0) buf = new byte[BUFFER];
      }
      writeBehind.force();
    }
    return size;
  }

  /** The content of a held data file, if any. */
  public Optional<Path> locate(long dataFileId) {
    for (Path v : volumes) {
      Path p = pathFor(v, dataFileId);
      if (Files.isRegularFile(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** A held data file as {@link #store} answered for it (the SHA-256 is computed again from its content). */
  public StoredFile held(long dataFileId) throws IOException {
    Path p = locate(dataFileId).orElseThrow(() -> new NoSuchFileException("data file " + dataFileId + " is not held"));
    Path volume = volumes.stream().filter(v -> p.startsWith(v)).findFirst().orElseThrow();
    MessageDigest sha = sha256();
    long size = 0;
    byte[] buf = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(p)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        size += n;
      }
    }
    return new StoredFile(dataFileId, size, HexFormat.of().formatHex(sha.digest()), volume, p);
  }

  /** Reads a held data file from {@code offset} (for resumed transfers and range reads). */
  public InputStream openRead(long dataFileId, long offset) throws IOException {
    Path p = locate(dataFileId).orElseThrow(() -> new NoSuchFileException("data file " + dataFileId + " is not held"));
    FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
    try {
      ch.position(offset);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    return Channels.newInputStream(ch);
  }

  /** Removes a held data file; true when something was deleted. */
  public boolean delete(long dataFileId) throws IOException {
    boolean deleted = false;
    for (Path v : volumes) deleted |= Files.deleteIfExists(pathFor(v, dataFileId));
    return deleted;
  }

  /** Scans the volumes for held data files (reported to the master after a restart). */
  public List<Long> heldIds() {
    List<Long> ids = new ArrayList<>();
    for (Path v : volumes) {
      try (Stream<Path> files = Files.walk(v.resolve(DATA), 3)) {
        files.filter(Files::isRegularFile).forEach(p -> parseId(p).ifPresent(ids::add));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot scan volume " + v, e);
      }
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  public List<VolumeInfo> volumes() {
    List<VolumeInfo> out = new ArrayList<>();
    for (Path v : volumes) {
      out.add(new VolumeInfo(v, v.toFile().getUsableSpace(), v.toFile().getTotalSpace()));
    }
    return out;
  }

  private Path chooseVolume() {
    return volumes.stream().max(Comparator.comparingLong(v -> v.toFile().getUsableSpace())).orElseThrow();
  }

  static Path pathFor(Path volume, long id) {
    String a = String.format("%02x", id & 0xff);
    String b = String.format("%02x", (id >>> 8) & 0xff);
    return volume.resolve(DATA).resolve(a).resolve(b).resolve(Long.toString(id));
  }

  private static Optional<Long> parseId(Path p) {
    try {
      return Optional.of(Long.parseLong(p.getFileName().toString()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems cannot open directories; the file itself is already fsynced.
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
