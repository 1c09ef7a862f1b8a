package org.ecpds.portal.sftp;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.MoverReader;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.PortalFs;

/**
 * The file system of the start-up warm-up session ({@link SftpWarmup}): one destination with one file
 * of {@code size} bytes, a sparse temp file (zeros, no disk blocks) read through the same reader class
 * and FileChannel as a user's download, and a directory {@value #UPLOADS} whose uploads are counted and
 * dropped (for the warm-up of an SFTP client's upload path). It belongs to no user: no event line, no
 * session slot, no accounting, nothing stored; every other change is refused.
 */
final class WarmupFs implements PortalFs {
  static final String DESTINATION = "warmup";
  static final String FILE = "data";
  static final String UPLOADS = "in";

  private final long size;
  private final Path sparse;
  private final FsPath directory;
  private final FsPath file;
  private final FsPath uploads;
  /** The uploads' names and sizes: enough for an uploader's stat, rename and delete. */
  private final Map<FsPath, Long> uploaded = new ConcurrentHashMap<>();
  private final LongAdder received;

  /** {@code received} counts the bytes uploads bring. */
  WarmupFs(long size, LongAdder received) throws IOException {
    this.size = size;
    this.received = received;
    this.directory = FsPath.ROOT.child(DESTINATION);
    this.file = directory.child(FILE);
    this.uploads = directory.child(UPLOADS);
    sparse = Files.createTempFile("ecpds-sftp-warmup", ".bin");
    try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
      f.setLength(size); // a hole: reads give zeros from no disk block
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(sparse);
      throw e;
    }
  }

  @Override public String user() { return "(warm-up)"; }
  @Override public String protocol() { return PortalSftpServer.PROTOCOL; }
  @Override public String remoteAddress() { return "127.0.0.1"; }

  @Override
  public FsEntry stat(FsPath path) throws FsException {
    if (path.isRoot() || path.equals(directory) || path.equals(uploads)) return new FsEntry(path, true, 0, 0, "d");
    if (path.equals(file)) return new FsEntry(file, false, size, 0, "f");
    Long up = uploaded.get(path);
    if (up != null) return new FsEntry(path, false, up, 0, "u");
    throw new FsException(FsException.Kind.NOT_FOUND, path, "no such file");
  }

  @Override
  public List<FsEntry> list(FsPath dir) throws FsException {
    if (dir.isRoot()) return List.of(stat(directory));
    if (dir.equals(directory)) return List.of(stat(file), stat(uploads));
    if (dir.equals(uploads)) {
      List<FsEntry> out = new ArrayList<>();
      for (FsPath p : uploaded.keySet()) out.add(stat(p));
      return out;
    }
    throw new FsException(FsException.Kind.NOT_FOUND, dir, "no such directory");
  }

  @Override
  public FsReader read(FsPath path) throws IOException {
    FsEntry entry = stat(path);
    if (entry.directory()) throw new FsException(FsException.Kind.IS_DIRECTORY, path, "a directory");
    return MoverReader.unaccounted(entry, FileChannel.open(sparse, StandardOpenOption.READ));
  }

  private FsException readOnly(FsPath path) {
    return new FsException(FsException.Kind.DENIED, path, "the warm-up session is read-only");
  }

  private boolean upload(FsPath path) {
    return !path.isRoot() && uploads.equals(path.parent());
  }

  @Override
  public FsUpload write(FsPath path) throws IOException {
    if (!upload(path)) throw readOnly(path);
    return new Dropped(path);
  }

  @Override
  public void delete(FsPath path) throws FsException {
    if (!upload(path)) throw readOnly(path);
    if (uploaded.remove(path) == null) throw new FsException(FsException.Kind.NOT_FOUND, path, "no such file");
  }

  @Override
  public void rename(FsPath from, FsPath to) throws FsException {
    if (!upload(from) || !upload(to)) throw readOnly(from);
    Long up = uploaded.remove(from);
    if (up == null) throw new FsException(FsException.Kind.NOT_FOUND, from, "no such file");
    uploaded.put(to, up);
  }

  @Override public void mkdir(FsPath path) throws FsException { throw readOnly(path); }
  @Override public void rmdir(FsPath path) throws FsException { throw readOnly(path); }
  @Override public void setModified(FsPath path, long millis) throws FsException { throw readOnly(path); }

  @Override
  public boolean allowed(FsPermission permission, FsPath path) {
    return switch (permission) {
      case GET, DIR, SIZE, MTIME -> true;
      case PUT, DELETE, RENAME -> upload(path);
      default -> false;
    };
  }

  /** An upload whose bytes are counted and dropped; committing makes its name visible with its size. */
  private final class Dropped implements FsUpload {
    private final FsPath path;
    private long written;
    private boolean open = true;

    Dropped(FsPath path) {
      this.path = path;
    }

    @Override public FsPath path() { return path; }
    @Override public long written() { return written; }
    @Override public boolean isOpen() { return open; }

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      src.position(src.limit());
      written += n;
      received.add(n);
      return n;
    }

    @Override
    public FsEntry commit(Map<String, String> metadata) {
      uploaded.put(path, written);
      return new FsEntry(path, false, written, 0, "u");
    }

    @Override
    public void close() {
      open = false;
    }
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(sparse);
    } catch (IOException e) {
      sparse.toFile().deleteOnExit();
    }
  }
}
