package org.ecpds.mover.transfer.sftp;

import static org.ecpds.mover.transfer.RemotePaths.clean;
import static org.ecpds.mover.transfer.RemotePaths.join;
import static org.ecpds.mover.transfer.RemotePaths.name;
import static org.ecpds.mover.transfer.RemotePaths.parent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.Resumable;
import org.ecpds.mover.transfer.SourceStream;
import org.ecpds.mover.transfer.Sources;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.ssh.SshErrors;
import org.ecpds.mover.transfer.ssh.SshSessions;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * SFTP through MINA SSHD.
 *
 * <p>Options (HostSpec.options):
 * <ul>
 *   <li>{@code sftp.connectTimeout} — connect + key exchange + login timeout (default
 *       {@code ectrans.connectTimeout}, else 30s)</li>
 *   <li>{@code sftp.idleTimeout} — a session silent this long is dropped as NETWORK (default
 *       {@code ectrans.idleTimeout}, else 60s)</li>
 *   <li>{@code sftp.privateKey} — private key text (OpenSSH or PEM) for public-key login, tried
 *       before the password; {@code sftp.privateKeyPassword} when it is encrypted</li>
 *   <li>{@code sftp.fingerPrint} — expected SHA-256 host key fingerprint as printed by
 *       {@code ssh-keygen -l} ("SHA256:base64"). <b>When unset, any host key is accepted</b>
 *       (OpenECPDS behaviour): set it wherever the network path is not trusted.</li>
 *   <li>{@code sftp.writeBufferSize} — bytes per SFTP write request (default 252 KiB, under
 *       OpenSSH's 255 KiB max-write-length); writes are pipelined, so throughput is not bound by
 *       round trips.</li>
 * </ul>
 *
 * <p>{@link #put} writes to {@code .<name>.ecpds-tmp} in the target directory and renames when
 * complete, so the final name never shows partial content.
 */
public final class SftpModule implements TransferModule, Resumable {
  static final String TMP_SUFFIX = ".ecpds-tmp";
  private static final int DEFAULT_WRITE_BUFFER = 252 * 1024;
  private static final int COPY_BUFFER = 1 << 20;
  private static final int READ_BUFFER = 255 * 1024;

  private final SshClient client;
  private volatile ClientSession session;
  private volatile SftpClient sftp;
  private volatile boolean closed;
  private int writeBuffer = DEFAULT_WRITE_BUFFER;

  SftpModule(SshClient client) {
    this.client = client;
  }

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    try {
      writeBuffer = Integer.parseInt(options.getOrDefault("sftp.writeBufferSize", String.valueOf(DEFAULT_WRITE_BUFFER)).trim());
      if (writeBuffer < 1024) throw new NumberFormatException("at least 1024");
    } catch (NumberFormatException e) {
      throw new TransferException(ErrorKind.PROTOCOL, "invalid option sftp.writeBufferSize (bytes): " + e.getMessage());
    }
    try {
      ClientSession s = SshSessions.open(client, host, options, "sftp", started -> session = started, () -> closed);
      sftp = SftpClientFactory.instance().createSftpClient(s);
    } catch (Exception e) {
      close();
      throw SftpErrors.classify("cannot open SFTP session to " + SshSessions.where(host), e);
    }
  }

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    return send(in, size, 0, targetPath, progress, false);
  }

  @Override
  public long partialSize(String targetPath) throws TransferException {
    String tmp = tmpName(clean(targetPath));
    try {
      return Math.max(0, sizeOrMinus1(client(), tmp));
    } catch (IOException e) {
      throw classify("cannot stat " + tmp, e);
    }
  }

  @Override
  public long resume(InputStream in, long size, long offset, String targetPath, ProgressListener progress)
      throws TransferException {
    return send(in, size, offset, targetPath, progress, true);
  }

  /**
   * Small files (each fits one write request) pipelined across the batch: every OPEN sent, then
   * every handle's WRITE + CLOSE, then every posix-rename, each phase's requests written without
   * waiting for each ({@link SftpRequests.Requests}) and its replies read after the last is out:
   * three round trips for the batch instead of three per file. A file whose
   * step fails fails alone (its temp file removed); a directory reported missing is created and
   * the file opened again. Otherwise (a large file, no posix-rename) one put after the other.
   */
  @Override
  public List<PutResult> putAll(List<? extends BatchPut> puts) {
    SftpClient c = sftp;
    if (puts.size() < 2 || closed || c == null || !SftpRequests.usable(c) || !posixRename(c)
        || puts.stream().anyMatch(p -> p.size() < 0 || p.size() > writeBuffer)) {
      return TransferModule.super.putAll(puts);
    }
    int n = puts.size();
    PutResult[] out = new PutResult[n];
    String[] target = new String[n];
    String[] tmp = new String[n];
    byte[][] data = new byte[n][];
    byte[][] handle = new byte[n][];
    for (int i = 0; i < n; i++) {
      target[i] = clean(puts.get(i).targetPath());
      tmp[i] = tmpName(target[i]);
      data[i] = read(puts.get(i), out, i);
    }
    int current = -1;
    try {
      int[] ids = new int[n];
      SftpRequests.Requests requests = new SftpRequests.Requests(c);
      for (int i = 0; i < n; i++) if (out[i] == null) ids[i] = requests.open(tmp[i]);
      requests.sent();
      java.util.Set<String> made = new java.util.HashSet<>();
      for (int i = 0; i < n; i++) {
        if (out[i] != null) continue;
        current = i;
        try {
          handle[i] = SftpRequests.receiveOpen(c, ids[i], tmp[i]);
        } catch (org.apache.sshd.sftp.common.SftpException e) {
          String dir = parent(target[i]);
          if (dir.isEmpty() || !SftpErrors.isStatus(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH)) {
            fail(c, out, i, target[i], null, e);
            continue;
          }
          try {
            if (made.add(dir)) mkdirs(dir);
            handle[i] = SftpRequests.open(c, tmp[i]);
          } catch (org.apache.sshd.sftp.common.SftpException | TransferException again) {
            fail(c, out, i, target[i], null, again);
          }
        }
      }
      int[][] wc = new int[n][];
      for (int i = 0; i < n; i++) {
        if (out[i] == null) wc[i] = requests.writeAndClose(handle[i], data[i], (int) puts.get(i).size());
      }
      requests.sent();
      for (int i = 0; i < n; i++) {
        if (out[i] != null) continue;
        current = i;
        try {
          SftpRequests.receiveWriteAndClose(c, wc[i], tmp[i]);
        } catch (org.apache.sshd.sftp.common.SftpException e) {
          fail(c, out, i, target[i], tmp[i], e);
        }
      }
      for (int i = 0; i < n; i++) if (out[i] == null) ids[i] = requests.posixRename(tmp[i], target[i]);
      requests.sent();
      for (int i = 0; i < n; i++) {
        if (out[i] != null) continue;
        current = i;
        try {
          SftpRequests.receiveStatus(c, SftpConstants.SSH_FXP_EXTENDED, ids[i], "rename " + tmp[i] + " to " + target[i]);
          puts.get(i).progress().transferred(puts.get(i).size());
          out[i] = PutResult.written(puts.get(i).size());
        } catch (org.apache.sshd.sftp.common.SftpException e) {
          fail(c, out, i, target[i], tmp[i], e);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not an SFTP status: the session is gone; the file under way fails, the ones not answered go again
      int at = current >= 0 && out[current] == null ? current : firstOpen(out);
      if (at >= 0) out[at] = PutResult.failed(classify("cannot put " + target[at], e));
    }
    List<PutResult> results = new ArrayList<>(n);
    for (PutResult r : out) results.add(r == null ? PutResult.NOT_ATTEMPTED : r);
    return results;
  }

  private static int firstOpen(PutResult[] out) {
    for (int i = 0; i < out.length; i++) if (out[i] == null) return i;
    return -1;
  }

  /** The whole (small) content of a batch member, or null with its failure in {@code out}. */
  private static byte[] read(BatchPut p, PutResult[] out, int i) {
    try (InputStream in = p.open()) {
      byte[] data = new byte[(int) p.size() + 1];
      int got = Sources.fill(in, data);
      if (got != p.size()) {
        out[i] = PutResult.failed(new TransferException(ErrorKind.LOCAL, "cannot put " + p.targetPath() + ": source gave "
            + (got > p.size() ? "more than the expected " : got + " bytes, expected ") + p.size() + (got > p.size() ? " bytes" : "")));
        return null;
      }
      return data;
    } catch (TransferException e) {
      out[i] = PutResult.failed(e);
    } catch (IOException e) {
      out[i] = PutResult.failed(new TransferException(ErrorKind.LOCAL, "cannot read the source of " + p.targetPath() + ": " + e, e));
    }
    return null;
  }

  private void fail(SftpClient c, PutResult[] out, int i, String target, String tmp, Exception e) {
    out[i] = PutResult.failed(classify("cannot put " + target, e));
    if (tmp != null) removeQuietly(c, tmp);
  }

  private static boolean posixRename(SftpClient c) {
    OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
    return posix != null && posix.isSupported();
  }

  private static String tmpName(String target) {
    return join(parent(target), "." + name(target) + TMP_SUFFIX);
  }

  /** Writes the temp file from {@code offset}, then renames; {@code keepPartial}: a failure leaves it. */
  private long send(InputStream in, long size, long offset, String targetPath, ProgressListener progress,
      boolean keepPartial) throws TransferException {
    SftpClient c = client();
    String target = clean(targetPath);
    String dir = parent(target);
    String tmp = tmpName(target);
    try {
      long written = offset == 0 && size >= 0 && size <= writeBuffer && SftpRequests.usable(c)
          ? sendSmall(c, in, size, tmp, dir, progress)
          : sendStream(c, in, offset, tmp, dir, progress);
      if (size >= 0 && offset + written != size) {
        throw new TransferException(ErrorKind.LOCAL, "source gave " + (offset + written) + " bytes, expected " + size);
      }
      moveIntoPlace(c, tmp, target);
      return written;
    } catch (Exception e) {
      if (!keepPartial) removeQuietly(c, tmp);
      throw classify("cannot put " + target, e);
    }
  }

  private long sendStream(SftpClient c, InputStream in, long offset, String tmp, String dir, ProgressListener progress)
      throws IOException {
    try (OutputStream out = openForWrite(c, tmp, dir, offset)) {
      if (out instanceof SftpOutputStreamAsync async) {
        SourceStream src = new SourceStream(in, -1, progress);
        async.transferFrom(src);
        return src.count();
      }
      return Sources.copy(in, out, COPY_BUFFER, progress);
    }
  }

  /**
   * A file that fits in one write request: read whole (one more byte shows a source longer than
   * announced), then open, write + close pipelined ({@link SftpRequests}).
   */
  private long sendSmall(SftpClient c, InputStream in, long size, String tmp, String dir, ProgressListener progress)
      throws IOException {
    byte[] data = new byte[(int) size + 1];
    int n = Sources.fill(in, data);
    byte[] handle;
    try {
      handle = SftpRequests.open(c, tmp);
    } catch (IOException e) {
      if (dir.isEmpty() || !SftpErrors.isStatus(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH)) {
        throw e;
      }
      mkdirs(dir);
      handle = SftpRequests.open(c, tmp);
    }
    SftpRequests.writeAndClose(c, handle, data, Math.min(n, (int) size), tmp);
    progress.transferred(n);
    return n;
  }

  /**
   * Opens the temp file (truncated, or kept and written from {@code offset}), creating the
   * directory only when the first attempt says it is missing.
   */
  private OutputStream openForWrite(SftpClient c, String tmp, String dir, long offset) throws IOException {
    EnumSet<OpenMode> modes = offset > 0 ? EnumSet.of(OpenMode.Write, OpenMode.Create)
        : EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Truncate);
    OutputStream out;
    try {
      out = c.write(tmp, writeBuffer, modes);
    } catch (IOException e) {
      if (dir.isEmpty() || !SftpErrors.isStatus(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH)) {
        throw e;
      }
      mkdirs(dir);
      out = c.write(tmp, writeBuffer, modes);
    }
    if (offset > 0) {
      if (!(out instanceof SftpOutputStreamAsync async)) {
        out.close();
        throw new TransferException(ErrorKind.PROTOCOL, "this SFTP client cannot write at an offset");
      }
      async.setOffset(offset); // every write request carries its own offset: no append mode needed
    }
    return out;
  }

  /** OpenSSH's plain rename refuses to replace; posix-rename replaces atomically when offered. */
  private static void moveIntoPlace(SftpClient c, String tmp, String target) throws IOException {
    OpenSSHPosixRenameExtension posix = c.getExtension(OpenSSHPosixRenameExtension.class);
    if (posix != null && posix.isSupported()) {
      posix.posixRename(tmp, target);
      return;
    }
    try {
      c.rename(tmp, target);
    } catch (IOException e) {
      if (sizeOrMinus1(c, target) < 0) throw e;
      c.remove(target);
      c.rename(tmp, target);
    }
  }

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    SftpClient c = client();
    try {
      // OpenSSH's sftp-server answers at most ~255 KiB per read: ask for what it will send, so that
      // MINA does not chase every short reply with one more round trip
      if (offset == 0) {
        return SftpPipelinedGet.usable(c) ? SftpPipelinedGet.open(c, clean(path), READ_BUFFER) : c.read(clean(path), READ_BUFFER);
      }
      SftpClient.CloseableHandle h = c.open(clean(path), OpenMode.Read);
      return new SftpRangeInputStream(c, h, offset);
    } catch (IOException e) {
      throw classify("cannot read " + path, e);
    }
  }

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    List<RemoteFile> out = new ArrayList<>();
    list(directory, out::add);
    return out;
  }

  /** MINA's readDir iterator fetches one READDIR batch (about a hundred names) at a time. */
  @Override
  public void list(String directory, Consumer<RemoteFile> sink) throws TransferException {
    SftpClient c = client();
    try {
      for (SftpClient.DirEntry e : c.readDir(clean(directory).isEmpty() ? "." : clean(directory))) {
        String n = e.getFilename();
        if (n.equals(".") || n.equals("..")) continue;
        SftpClient.Attributes a = e.getAttributes();
        long mtime = a.getModifyTime() == null ? 0 : a.getModifyTime().toMillis();
        sink.accept(new RemoteFile(n, a.getSize(), mtime, a.isDirectory(), a.isSymbolicLink()));
      }
    } catch (IOException | UncheckedIOException e) {
      throw classify("cannot list " + directory, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
    }
  }

  @Override
  public void delete(String path) throws TransferException {
    try {
      client().remove(clean(path));
    } catch (IOException e) {
      throw classify("cannot delete " + path, e);
    }
  }

  @Override
  public void mkdirs(String directory) throws TransferException {
    SftpClient c = client();
    String dir = clean(directory);
    StringBuilder prefix = new StringBuilder(dir.startsWith("/") ? "/" : "");
    try {
      for (String part : dir.split("/")) {
        if (part.isEmpty()) continue;
        if (prefix.length() > 0 && prefix.charAt(prefix.length() - 1) != '/') prefix.append('/');
        prefix.append(part);
        String p = prefix.toString();
        if (sizeOrMinus1(c, p) >= 0) continue;
        try {
          c.mkdir(p);
        } catch (IOException e) {
          if (sizeOrMinus1(c, p) < 0) throw e; // not a race with another session creating it
        }
      }
    } catch (IOException e) {
      throw classify("cannot create directory " + directory, e);
    }
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    try {
      moveIntoPlace(client(), clean(from), clean(to));
    } catch (IOException e) {
      throw classify("cannot rename " + from + " to " + to, e);
    }
  }

  @Override
  public long size(String path) throws TransferException {
    try {
      return sizeOrMinus1(client(), clean(path));
    } catch (IOException e) {
      throw classify("cannot stat " + path, e);
    }
  }

  private static long sizeOrMinus1(SftpClient c, String path) throws IOException {
    try {
      return c.stat(path).getSize();
    } catch (IOException e) {
      if (SftpErrors.isStatus(e, SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH)) return -1;
      throw e;
    }
  }

  private static void removeQuietly(SftpClient c, String path) {
    try {
      if (c.isOpen()) c.remove(path);
    } catch (IOException ignored) {
      // the temp file may not exist (open failed) or the session is gone; nothing more to do
    }
  }

  private TransferException classify(String what, Exception e) {
    if (closed) return new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)", e);
    // whatever the last SFTP reply said, a lost connection is retryable
    return SshErrors.onLostSession(SftpErrors.classify(what, e), session, e);
  }

  private SftpClient client() throws TransferException {
    SftpClient c = sftp;
    if (c == null || closed) throw new TransferException(ErrorKind.LOCAL, "SFTP session is not open");
    return c;
  }

  /** Safe from any thread: aborts a running operation by closing the session immediately. */
  @Override
  public void close() {
    closed = true;
    SftpClient c = sftp;
    ClientSession s = session;
    if (s != null) s.close(true);
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the session is already gone
      }
    }
  }
}
