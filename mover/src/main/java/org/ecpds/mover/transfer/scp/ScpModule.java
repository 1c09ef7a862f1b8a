package org.ecpds.mover.transfer.scp;

import static org.ecpds.mover.transfer.RemotePaths.clean;
import static org.ecpds.mover.transfer.RemotePaths.join;
import static org.ecpds.mover.transfer.RemotePaths.name;
import static org.ecpds.mover.transfer.RemotePaths.parent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.ecpds.common.config.Durations;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.SourceStream;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.ssh.CallerCompletions;
import org.ecpds.mover.transfer.ssh.SshErrors;
import org.ecpds.mover.transfer.ssh.SshSessions;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * SCP through MINA SSHD, plus remote commands over the same SSH session for what SCP cannot do.
 *
 * <p>Options (HostSpec.options); each {@code scp.X} falls back to {@code sftp.X}, so that a host
 * switched between the two keeps its key and pinning:
 * <ul>
 *   <li>{@code scp.connectTimeout} — connect + key exchange + login (default
 *       {@code ectrans.connectTimeout}, else 30s); {@code scp.idleTimeout} — a silent session is
 *       dropped as NETWORK (default {@code ectrans.idleTimeout}, else 60s)</li>
 *   <li>{@code scp.privateKey} (+ {@code scp.privateKeyPassword}) — key text for public-key login,
 *       tried before the host's password</li>
 *   <li>{@code scp.fingerPrint} — expected SHA-256 host key fingerprint ("SHA256:..." as printed
 *       by {@code ssh-keygen -l}); <b>when unset, any host key is accepted</b> (as OpenECPDS)</li>
 *   <li>{@code scp.commandTimeout} — limit for one remote command (mv, rm, mkdir, find; default
 *       90s, as OpenECPDS's del/list/mkdir/move timeouts)</li>
 * </ul>
 *
 * <p>The remote side needs a POSIX shell and the usual tools: {@code scp} (legacy sink/source
 * mode), {@code mv}, {@code rm}, {@code mkdir -p}, {@code tail -c}, {@code wc -c} and GNU
 * {@code find -printf} (listing only). How each operation is done:
 * <ul>
 *   <li>put, known size: one exec, {@code scp -t TMP && mv -f TMP TARGET} (MINA's sender made
 *       strict: {@link ScpUpload}), TMP being {@code .<name>.ecpds-tmp} in the target directory;
 *       when scp says the directory is missing (before any byte is read from the source),
 *       {@code mkdir -p} and once more.</li>
 *   <li>put, unknown size: SCP must announce the size first, so the bytes go through
 *       {@code mkdir -p DIR && cat > TMP && mv -f TMP TARGET} instead (no local spooling).</li>
 *   <li>several puts (a batch, {@link #putAll}): per target directory one exec
 *       {@code mkdir -p DIR/.ecpds-batch-R.ecpds-tmp && scp -t -d} into it, one C record per file under
 *       its final name (each answered on its own), then one exec moving them all into DIR with one
 *       {@code mv} and listing what it left behind.</li>
 *   <li>get: SCP ({@code scp -f}) read as a stream. From an offset: SCP cannot seek, so
 *       {@code tail -c +N}, which seeks on a regular file (no bytes before the offset cross the
 *       network; reading and skipping would resend them).</li>
 *   <li>size: {@code wc -c < FILE} (a seek, not a read, for a regular file); list:
 *       {@code find -L DIR -mindepth 1 -maxdepth 1 -printf}; delete {@code rm}; mkdirs
 *       {@code mkdir -p}; rename {@code mv -f}.</li>
 * </ul>
 * Names are passed single-quoted, so spaces, quotes and non-ASCII are safe; messages are read in
 * the C locale and classified (Permission denied -> PERMISSION, No such file -> NOT_FOUND).
 */
public final class ScpModule implements TransferModule {
  static final String TMP_SUFFIX = ".ecpds-tmp";
  private static final String PROTOCOL = "scp";

  private final SshClient client;
  private volatile ClientSession session;
  private volatile boolean closed;
  private RemoteShell shell;

  ScpModule(SshClient client) {
    this.client = client;
  }

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    try {
      Duration commandTimeout = Durations.parse(options.getOrDefault("scp.commandTimeout", "90s"));
      ClientSession s = SshSessions.open(client, host, options, PROTOCOL, started -> session = started, () -> closed);
      shell = new RemoteShell(s, commandTimeout);
    } catch (Exception e) {
      close();
      throw ScpErrors.classify("cannot open SSH session for SCP to " + SshSessions.where(host), e);
    }
  }

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    ensureOpen();
    String target = clean(targetPath);
    String dir = parent(target);
    String tmp = join(dir, "." + name(target).replaceAll("[\\r\\n]", "_") + TMP_SUFFIX);
    SourceStream src = new SourceStream(in, size, progress);
    // the rename rides in the same exec as the write ("&&": only after a complete, acknowledged
    // copy), so a file costs one channel and one remote command line, not two
    String publish = RemoteShell.PREFIX + "mv -f -- " + Shell.path(tmp) + " " + Shell.path(target);
    try {
      if (size >= 0) {
        try {
          upload(src, tmp, size, publish);
        } catch (IOException e) {
          if (dir.isEmpty() || src.count() > 0 || ScpErrors.kindOf(e) != ErrorKind.NOT_FOUND) throw e;
          mkdirs(dir);
          upload(src, tmp, size, publish);
        }
      } else {
        stream(src, dir, tmp, publish);
      }
      return src.count();
    } catch (Exception e) {
      removeQuietly(tmp);
      throw classify("cannot put " + target, e);
    }
  }

  /**
   * Per target directory: one exec writing every file into a hidden batch directory under its final
   * name and then moving them all into place ({@link ScpBatch}; a second exec moves them when a file
   * failed in the sink); a file the move left behind is renamed again alone, so that its error is
   * classified as a single put's would be. A name with CR or LF (which the SCP protocol line cannot
   * carry) goes alone through {@link #put}.
   */
  @Override
  public List<PutResult> putAll(List<? extends BatchPut> puts) {
    if (puts.size() < 2 || shell == null || closed) return TransferModule.super.putAll(puts);
    PutResult[] out = new PutResult[puts.size()];
    List<String> targets = new ArrayList<>(puts.size());
    Map<String, List<Integer>> byDir = new LinkedHashMap<>();
    List<Integer> alone = new ArrayList<>();
    for (int i = 0; i < puts.size(); i++) {
      String target = clean(puts.get(i).targetPath());
      targets.add(target);
      if (name(target).matches("(?s).*[\\r\\n].*")) {
        alone.add(i);
      } else {
        byDir.computeIfAbsent(parent(target), k -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<String, List<Integer>> group : byDir.entrySet()) {
      if (broken()) break;
      putGroup(group.getKey(), group.getValue(), puts, targets, out);
    }
    for (int i : alone) {
      if (broken()) break;
      out[i] = TransferModule.super.putAll(List.of(puts.get(i))).get(0);
    }
    List<PutResult> results = new ArrayList<>(out.length);
    for (PutResult r : out) results.add(r == null ? PutResult.NOT_ATTEMPTED : r);
    return results;
  }

  private void putGroup(String dir, List<Integer> members, List<? extends BatchPut> puts, List<String> targets,
      PutResult[] out) {
    String tmpDir = join(dir, ".ecpds-batch-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
        + TMP_SUFFIX);
    List<String> tmps = new ArrayList<>(java.util.Collections.nCopies(targets.size(), (String) null));
    for (int i : members) tmps.set(i, join(tmpDir, name(targets.get(i))));
    ScpBatch.Sent sent;
    try {
      // its writes complete on this thread: no hand-off per protocol line or file (CallerCompletions)
      sent = CallerCompletions.run(shell,
          sh -> ScpBatch.send(sh, tmpDir, dir, members, puts, tmps, targets, out, this::classify));
    } catch (IOException e) {
      TransferException te = classify("cannot put into " + (dir.isEmpty() ? "the login directory" : dir), e);
      for (int i : members) if (out[i] == null) out[i] = PutResult.failed(te);
      removeTreeQuietly(tmpDir);
      return;
    }
    List<ScpBatch.Stored> stored = sent.stored();
    java.util.Set<String> left = sent.left();
    if (left == null) { // the exec did not move them (a member failed or it broke off): an exec of their own
      if (broken()) return; // the stored ones are sent again on another session
      if (stored.isEmpty()) {
        removeTreeQuietly(tmpDir);
        return;
      }
      try {
        left = CallerCompletions.run(shell, sh -> ScpBatch.publish(sh, tmpDir, dir, stored));
      } catch (IOException e) {
        TransferException te = classify("cannot move into " + dir, e);
        if (PutResult.breaksSession(te)) return;
        for (ScpBatch.Stored s : stored) out[s.index()] = PutResult.failed(te);
        removeTreeQuietly(tmpDir);
        return;
      }
    }
    for (ScpBatch.Stored s : stored) {
      if (!left.contains(name(s.target()))) {
        out[s.index()] = PutResult.written(s.bytes());
        continue;
      }
      try {
        rename(s.tmp(), s.target());
        out[s.index()] = PutResult.written(s.bytes());
      } catch (TransferException e) {
        out[s.index()] = PutResult.failed(new TransferException(e.kind(), "cannot put " + s.target() + ": " + e.getMessage(), e));
      }
    }
    if (!left.isEmpty()) removeTreeQuietly(tmpDir); // what failed, and partial files of failed members
  }

  private void removeTreeQuietly(String dir) {
    try {
      ClientSession s = session;
      if (s != null && s.isOpen() && !closed) shell.run("rm -rf -- " + Shell.path(dir));
    } catch (IOException | RuntimeException ignored) {
      // the session is gone; a hidden batch directory may stay behind
    }
  }

  /** The session is gone (a member's source failing to open, even CANCELLED, leaves it usable). */
  private boolean broken() {
    if (closed) return true;
    ClientSession s = session;
    return s == null || !s.isOpen();
  }

  private void upload(SourceStream src, String tmp, long size, String publish) throws IOException {
    ScpUpload.send(shell, session, src, tmp, size, publish);
  }

  /**
   * Unknown size: plain bytes into {@code cat}, whose exit status tells whether all were stored;
   * {@code publish} runs only after it succeeded.
   */
  private void stream(SourceStream src, String dir, String tmp, String publish) throws IOException {
    String cmd = (dir.isEmpty() ? "" : "mkdir -p -- " + Shell.path(dir) + " && ") + "cat > " + Shell.path(tmp)
        + " && " + publish;
    RemoteShell.Stderr err = new RemoteShell.Stderr();
    ChannelExec ch = shell.open(cmd, OutputStream.nullOutputStream(), err);
    try {
      try (OutputStream out = ch.getInvertedIn()) {
        src.transferTo(out);
      } catch (TransferException e) {
        throw e;
      } catch (IOException e) {
        throw RemoteShell.whyClosed(ch, cmd, err, "cannot write " + tmp, e);
      } // closing sends EOF: cat ends
      int status = shell.awaitExit(ch, cmd);
      if (status != 0) throw RemoteShell.failureAfterExit(ch, "cannot write " + tmp + " or publish it", status, err);
    } finally {
      ch.close(false);
    }
  }

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    ensureOpen();
    String p = clean(path);
    try {
      if (offset <= 0) return ScpDownload.open(shell, p, "cannot read " + path);
      String cmd = "tail -c +" + (offset + 1) + " -- " + Shell.path(p);
      RemoteShell.Stderr err = new RemoteShell.Stderr();
      ChannelExec ch = shell.open(cmd, null, err);
      ch.getInvertedIn().close();
      CommandInputStream in = new CommandInputStream(ch, err, cmd, "cannot read " + path);
      try {
        return in.prime();
      } catch (IOException e) {
        in.close();
        throw e;
      }
    } catch (IOException e) {
      throw classify("cannot read " + path, e);
    }
  }

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    ensureOpen();
    String what = "cannot list " + directory;
    try {
      // NUL-terminated records: any byte but NUL and '/' may occur in a name
      RemoteShell.Result r = shell.check("find -L " + Shell.path(clean(directory))
          + " -mindepth 1 -maxdepth 1 -printf '%y %s %T@ %f\\0'", what);
      List<RemoteFile> out = new ArrayList<>();
      for (String rec : r.text().split("\0")) {
        if (rec.isEmpty()) continue;
        String[] f = rec.split(" ", 4);
        if (f.length < 4) throw new TransferException(ErrorKind.PROTOCOL, what + ": unexpected find output '" + rec + "'");
        long mtime = new BigDecimal(f[2]).movePointRight(3).longValue();
        out.add(new RemoteFile(f[3], Long.parseLong(f[1]), mtime, f[0].equals("d")));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      throw classify(what, e);
    }
  }

  @Override
  public void delete(String path) throws TransferException {
    run("rm -- " + Shell.path(clean(path)), "cannot delete " + path);
  }

  @Override
  public void mkdirs(String directory) throws TransferException {
    run("mkdir -p -- " + Shell.path(clean(directory)), "cannot create directory " + directory);
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    run("mv -f -- " + Shell.path(clean(from)) + " " + Shell.path(clean(to)), "cannot rename " + from + " to " + to);
  }

  @Override
  public long size(String path) throws TransferException {
    ensureOpen();
    String what = "cannot stat " + path;
    try {
      RemoteShell.Result r = shell.run("wc -c < " + Shell.path(clean(path)));
      if (r.status() != 0) {
        if (ScpErrors.commandKind(r.err()) == ErrorKind.NOT_FOUND) return -1;
        throw RemoteShell.failure(what, r.status(), r.err());
      }
      return Long.parseLong(r.text().strip());
    } catch (IOException | RuntimeException e) {
      throw classify(what, e);
    }
  }

  private void run(String command, String what) throws TransferException {
    ensureOpen();
    try {
      shell.check(command, what);
    } catch (IOException e) {
      throw classify(what, e);
    }
  }

  private void removeQuietly(String tmp) {
    try {
      ClientSession s = session;
      if (s != null && s.isOpen() && !closed) shell.run("rm -f -- " + Shell.path(tmp));
    } catch (IOException | RuntimeException ignored) {
      // the temp file may not exist or the session is gone; nothing more to do
    }
  }

  private TransferException classify(String what, Exception e) {
    if (closed) return new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)", e);
    // whatever the last remote tool said, a lost connection is retryable
    return SshErrors.onLostSession(ScpErrors.classify(what, e), session, e);
  }

  private void ensureOpen() throws TransferException {
    if (shell == null || closed) throw new TransferException(ErrorKind.LOCAL, "SCP session is not open");
  }

  /** Safe from any thread: aborts a running operation by closing the session immediately. */
  @Override
  public void close() {
    closed = true;
    ClientSession s = session;
    if (s != null) s.close(true);
  }
}
