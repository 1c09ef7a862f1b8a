package org.ecpds.portal.sftp;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.MoverReader;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.PortalFs;

/**
 * The read-only file system of the start-up warm-up session ({@link SftpWarmup}): one destination with
 * one file of {@code size} bytes, a sparse temp file (zeros, no disk blocks) read through the same reader
 * class and FileChannel as a user's download. It belongs to no user: no event line, no session slot, no
 * accounting; every change is refused.
 */
final class WarmupFs implements PortalFs {
  static final String DESTINATION = "warmup";
  static final String FILE = "data";

  private final long size;
  private final Path sparse;
  private final FsPath directory;
  private final FsPath file;

  WarmupFs(long size) throws IOException {
    this.size = size;
    this.directory = FsPath.ROOT.child(DESTINATION);
    this.file = directory.child(FILE);
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
    if (path.isRoot() || path.equals(directory)) return new FsEntry(path, true, 0, 0, "d");
    if (path.equals(file)) return new FsEntry(file, false, size, 0, "f");
    throw new FsException(FsException.Kind.NOT_FOUND, path, "no such file");
  }

  @Override
  public List<FsEntry> list(FsPath dir) throws FsException {
    if (dir.isRoot()) return List.of(stat(directory));
    if (dir.equals(directory)) return List.of(stat(file));
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

  @Override public FsUpload write(FsPath path) throws IOException { throw readOnly(path); }
  @Override public void delete(FsPath path) throws FsException { throw readOnly(path); }
  @Override public void mkdir(FsPath path) throws FsException { throw readOnly(path); }
  @Override public void rmdir(FsPath path) throws FsException { throw readOnly(path); }
  @Override public void rename(FsPath from, FsPath to) throws FsException { throw readOnly(from); }
  @Override public void setModified(FsPath path, long millis) throws FsException { throw readOnly(path); }

  @Override
  public boolean allowed(FsPermission permission, FsPath path) {
    return switch (permission) {
      case GET, DIR, SIZE, MTIME -> true;
      default -> false;
    };
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
