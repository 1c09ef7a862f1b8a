package org.ecpds.mover.transfer.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.Resumable;
import org.ecpds.mover.transfer.Sources;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * A directory on a (shared) file system as a transfer target.
 *
 * <p>Options: {@code local.root} — the root directory (default: the host's address). Every path
 * is relative to the root, an absolute one too (like a chroot), and may never leave it: a path
 * whose {@code ..} or symbolic links lead outside the root is refused as PERMISSION.
 *
 * <p>A missing root means the file system is not there (an unmounted NFS share, a detached disk):
 * NETWORK, retryable, as a host that is down. The root is checked on connect, every 16 MiB of a
 * put and before publishing, so a file system that goes away mid-transfer fails the transfer.
 * EIO, ESTALE and ENOTCONN are NETWORK too; Permission denied and read-only file systems are
 * PERMISSION; a missing file or directory is NOT_FOUND.
 *
 * <p>put writes {@code .<name>.ecpds-tmp} next to the target, fsyncs it, renames it atomically
 * over the target and fsyncs the directory, so readers see the old content or the new, never a
 * part. get from an offset positions a FileChannel.
 */
public final class LocalModule implements TransferModule, Resumable {
  static final String TMP_SUFFIX = ".ecpds-tmp";
  private static final int BUFFER = 1 << 20;
  private static final int CHECK_EVERY = 16;

  private Path root;
  private Path realRoot;
  private volatile FileChannel writing;
  private volatile boolean closed;

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    String r = options.getOrDefault("local.root", host.getAddress());
    if (r == null || r.isBlank()) {
      throw new TransferException(ErrorKind.PROTOCOL, "no root directory: set local.root or the host's address");
    }
    root = Path.of(r).toAbsolutePath().normalize();
    checkRoot();
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      throw classify("cannot open " + root, e);
    }
  }

  private void checkRoot() throws TransferException {
    if (!Files.isDirectory(root)) {
      throw new TransferException(ErrorKind.NETWORK, "file system unavailable: root directory " + root + " is missing");
    }
  }

  /** The local path of a remote one, refused when it would leave the root. */
  Path resolve(String remote) throws TransferException {
    if (root == null || closed) throw new TransferException(ErrorKind.LOCAL, "local session is not open");
    String rel = remote.replace('\\', '/');
    while (rel.startsWith("/")) rel = rel.substring(1);
    Path p = root.resolve(rel).normalize();
    if (!p.startsWith(root)) throw new TransferException(ErrorKind.PERMISSION, "path " + remote + " is outside the root " + root);
    // symbolic links: the deepest existing ancestor must really be inside the root
    Path existing = p;
    while (existing != null && !Files.exists(existing)) existing = existing.getParent();
    try {
      if (existing != null && !existing.toRealPath().startsWith(realRoot)) {
        throw new TransferException(ErrorKind.PERMISSION, "path " + remote + " leads outside the root " + root);
      }
    } catch (IOException e) {
      throw classify("cannot resolve " + remote, e);
    }
    return p;
  }

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    return send(in, size, 0, targetPath, progress, false);
  }

  @Override
  public long partialSize(String targetPath) throws TransferException {
    Path tmp = tmpOf(targetOf(targetPath));
    try {
      checkRoot();
      return Files.isRegularFile(tmp) ? Files.size(tmp) : 0;
    } catch (IOException e) {
      throw classify("cannot stat the partial copy of " + targetPath, e);
    }
  }

  @Override
  public long resume(InputStream in, long size, long offset, String targetPath, ProgressListener progress)
      throws TransferException {
    return send(in, size, offset, targetPath, progress, true);
  }

  private Path targetOf(String targetPath) throws TransferException {
    Path target = resolve(targetPath);
    if (target.equals(root)) throw new TransferException(ErrorKind.PROTOCOL, "cannot put to the root itself");
    return target;
  }

  private static Path tmpOf(Path target) {
    return target.getParent().resolve("." + target.getFileName() + TMP_SUFFIX);
  }

  /** Writes the temp file from {@code offset} (0: truncated), then publishes; {@code keepPartial}: a failure leaves it. */
  private long send(InputStream in, long size, long offset, String targetPath, ProgressListener progress,
      boolean keepPartial) throws TransferException {
    Path target = targetOf(targetPath);
    Path dir = target.getParent();
    Path tmp = tmpOf(target);
    try {
      if (!Files.isDirectory(dir)) Files.createDirectories(dir);
      long written;
      try (FileChannel ch = offset > 0 ? FileChannel.open(tmp, StandardOpenOption.WRITE)
          : FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writing = ch;
        ch.truncate(offset).position(offset); // anything past the offset was not counted as sent
        written = copy(in, ch, progress);
        ch.force(true);
      } finally {
        writing = null;
      }
      if (size >= 0 && offset + written != size) {
        throw new TransferException(ErrorKind.LOCAL, "source gave " + (offset + written) + " bytes, expected " + size);
      }
      checkRoot();
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(dir);
      return written;
    } catch (IOException e) {
      if (!keepPartial) deleteQuietly(tmp);
      throw classify("cannot put " + targetPath, e);
    }
  }

  private long copy(InputStream in, FileChannel ch, ProgressListener progress) throws IOException {
    byte[] buf = new byte[BUFFER];
    ByteBuffer bb = ByteBuffer.wrap(buf);
    long total = 0;
    for (int chunk = 1; ; chunk++) {
      int n = Sources.fill(in, buf);
      if (n == 0) return total;
      bb.clear().limit(n);
      while (bb.hasRemaining()) ch.write(bb);
      total += n;
      progress.transferred(total);
      if (chunk % CHECK_EVERY == 0) checkRoot();
    }
  }

  /** The rename itself is durable only once the directory entry is on disk. */
  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // not every file system lets a directory be opened/synced; the data itself is synced
    }
  }

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    Path p = resolve(path);
    try {
      FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
      if (offset > 0) ch.position(offset);
      return Channels.newInputStream(ch);
    } catch (IOException e) {
      throw classify("cannot read " + path, e);
    }
  }

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    Path dir = resolve(directory);
    List<RemoteFile> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue; // removed while listing
        }
        out.add(new RemoteFile(p.getFileName().toString(), a.size(), a.lastModifiedTime().toMillis(), a.isDirectory()));
      }
      return out;
    } catch (IOException e) {
      throw classify("cannot list " + directory, e);
    }
  }

  @Override
  public void delete(String path) throws TransferException {
    Path p = resolve(path);
    io("cannot delete " + path, () -> Files.delete(p));
  }

  @Override
  public void mkdirs(String directory) throws TransferException {
    Path p = resolve(directory);
    io("cannot create directory " + directory, () -> Files.createDirectories(p));
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    Path a = resolve(from);
    Path b = resolve(to);
    io("cannot rename " + from + " to " + to, () -> Files.move(a, b, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
  }

  @Override
  public long size(String path) throws TransferException {
    Path p = resolve(path);
    try {
      return Files.size(p);
    } catch (NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw classify("cannot stat " + path, e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // the file system may be gone; nothing more to do
    }
  }

  private interface FileOp {
    void run() throws IOException;
  }

  /** Runs one file-system call, its failure classified. */
  private void io(String what, FileOp op) throws TransferException {
    try {
      op.run();
    } catch (IOException e) {
      throw classify(what, e);
    }
  }

  TransferException classify(String what, IOException e) {
    if (e instanceof TransferException te) return te;
    if (closed && (e instanceof ClosedChannelException || e instanceof AsynchronousCloseException)) {
      return new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)", e);
    }
    if (root != null && !Files.isDirectory(root)) {
      return new TransferException(ErrorKind.NETWORK, what + ": file system unavailable: root directory " + root
          + " is missing (" + e.getMessage() + ")", e);
    }
    return new TransferException(kindOf(e), what + ": " + e, e);
  }

  static ErrorKind kindOf(IOException e) {
    if (e instanceof NoSuchFileException) return ErrorKind.NOT_FOUND;
    if (e instanceof AccessDeniedException) return ErrorKind.PERMISSION;
    String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : String.valueOf(e.getMessage());
    String m = reason.toLowerCase(Locale.ROOT);
    if (m.contains("read-only file system") || m.contains("permission denied") || m.contains("operation not permitted")) {
      return ErrorKind.PERMISSION;
    }
    if (m.contains("stale file handle") || m.contains("input/output error") || m.contains("not connected")) {
      return ErrorKind.NETWORK;
    }
    if (m.contains("no such file")) return ErrorKind.NOT_FOUND;
    return ErrorKind.PROTOCOL;
  }

  /** Safe from any thread: aborts a running put by closing its file. */
  @Override
  public void close() {
    closed = true;
    FileChannel ch = writing;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing is all we wanted
      }
    }
  }
}
