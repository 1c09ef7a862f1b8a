package org.ecpds.mover.transfer.ftp;

import static org.ecpds.mover.transfer.RemotePaths.clean;
import static org.ecpds.mover.transfer.RemotePaths.join;
import static org.ecpds.mover.transfer.RemotePaths.name;
import static org.ecpds.mover.transfer.RemotePaths.parent;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.Set;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPFileEntryParser;
import org.apache.commons.net.ftp.parser.MLSxEntryParser;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.Resumable;
import org.ecpds.mover.transfer.Sources;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * FTP and FTPS through Apache commons-net, one control connection per session, reused for every
 * operation (no per-file reconnects). Binary type always.
 *
 * <p>Methods: {@code ftp} (plain), {@code ftps} (explicit TLS: AUTH TLS, then PBSZ 0 and PROT P;
 * OpenECPDS "FTPES"), {@code ftps-implicit} (TLS from the first byte, default port 990). With
 * method {@code ftps}, {@code ftps.implicit=yes} or the OpenECPDS {@code ftps.connectionType=FTPS}
 * also select implicit TLS ({@code FTPES} = explicit, {@code FTP} = no TLS).
 *
 * <p>Options (for the FTPS methods each {@code ftp.X} may also be written {@code ftps.X}, which
 * wins):
 * <ul>
 *   <li>{@code ftp.port} — used when the host has no port (21; 990 for implicit TLS)</li>
 *   <li>{@code ftp.passive} — passive mode (default yes; no = active mode, the server connects
 *       back to us). Note: OpenECPDS defaults to active; passive is the safer default behind
 *       firewalls and NAT.</li>
 *   <li>{@code ftp.extended} — EPSV/EPRT also over IPv4 (default no)</li>
 *   <li>{@code ftp.usetmp} — upload to {@code .<name>.ecpds-tmp} in the target directory and rename
 *       when complete (default yes), so the final name never shows partial content. With no, the
 *       final name is written directly and removed again if the upload fails.</li>
 *   <li>{@code ftp.mkdirs} — create missing target directories (default yes), only when a STOR
 *       fails, so that uploads into existing directories cost no extra round trip</li>
 *   <li>{@code ftp.ignoreCheck} — skip the SIZE check of the uploaded file against the bytes sent
 *       (default no: checked, when the server implements SIZE)</li>
 *   <li>{@code ftp.connectTimeout} — TCP connect (default {@code ectrans.connectTimeout}, 30s)</li>
 *   <li>{@code ftp.idleTimeout} — longest wait for a reply or for data on the control and data
 *       connections (default {@code ectrans.idleTimeout}, 60s)</li>
 *   <li>{@code ftp.sendBuffSize}, {@code ftp.receiveBuffSize} — SO_SNDBUF/SO_RCVBUF of data
 *       connections in bytes (default 0 = the OS's auto-tuning, which on Linux outgrows any fixed
 *       value allowed by {@code net.core.wmem_max})</li>
 *   <li>{@code ftp.controlEncoding} — encoding of file names on the control connection (UTF-8)</li>
 *   <li>{@code ftp.systemKey}, {@code ftp.defaultDateFormat}, {@code ftp.recentDateFormat},
 *       {@code ftp.serverLanguageCode}, {@code ftp.shortMonthNames}, {@code ftp.serverTimeZoneId}
 *       (alias {@code ftp.serverTimeZone}) — the LIST format, see {@link FtpListFormat} (default
 *       UNIX in UTC, as vsftpd and most servers print it); MLSD times are always UTC</li>
 *   <li>{@code ftp.useMlsd} — list with MLSD when the server announces MLST in FEAT (default yes);
 *       otherwise, or when MLSD is refused, UNIX-style LIST output is parsed (vsftpd has no MLSD)</li>
 *   <li>{@code ftps.trustCert} — PEM text (or a PEM file path) of the certificate(s) to trust: the
 *       server's own (self-signed) certificate or its CA. <b>When neither this nor
 *       {@code ftps.strict=yes} is set, any server certificate is accepted</b> (OpenECPDS default
 *       {@code strict=false}): the channel is encrypted but the server is not authenticated.</li>
 *   <li>{@code ftps.strict} — without {@code ftps.trustCert}: verify against the JVM's trust store
 *       and check the host name (default no)</li>
 *   <li>{@code ftps.protocol} — SSLContext protocol (TLS)</li>
 *   <li>{@code ftps.protectData} — PROT P, encrypted data connections (default yes; no = PROT C)</li>
 * </ul>
 *
 * <p>Servers: vsftpd must run with {@code require_ssl_reuse=NO}; its default demands TLS session
 * resumption on data connections, which Java's TLS stack does not offer there, and uploads fail.
 *
 * <p>Errors: 530 is AUTHENTICATION; 421, 425, 426 and lost, reset, refused or timed-out
 * connections are NETWORK; 550 is NOT_FOUND or PERMISSION after the reply text or, when the text
 * does not say (vsftpd: "Failed to open file"), an existence check; a failing source stream is
 * LOCAL; an untrusted certificate is AUTHENTICATION; other replies are PROTOCOL.
 */
public final class FtpModule implements TransferModule, Resumable {
  static final String TMP_SUFFIX = ".ecpds-tmp";
  private static final int COPY_BUFFER = 1 << 20;

  private volatile FTPClient ftp;
  private FTPFileEntryParser listParser; // LIST lines, after the host's ftp.systemKey and date options
  private volatile boolean closed;
  private volatile Closeable activeData;
  private FtpOptions opts;
  private String home;
  private Boolean mlsd;
  private String where = "?";
  /** Directories known to exist in this session: STOR into them never triggers mkdirs. */
  private final Set<String> knownDirs = new HashSet<>();

  FtpModule() {}

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    String method = host.getTransferMethod().isBlank() ? "ftp" : host.getTransferMethod();
    opts = FtpOptions.parse(method, options);
    listParser = opts.listFormat().parser();
    int port = host.getPort() > 0 ? host.getPort() : opts.defaultPort();
    where = host.getLogin() + "@" + host.getAddress() + ":" + port;
    FTPClient c = newClient();
    ftp = c;
    try {
      c.connect(host.getAddress(), port);
      if (closed) throw new TransferException(ErrorKind.CANCELLED, "cancelled while connecting to " + where);
      if (!FTPReply.isPositiveCompletion(c.getReplyCode())) {
        throw FtpErrors.reply("FTP server " + where + " refused the session", c.getReplyCode(), c.getReplyString());
      }
      if (!c.login(host.getLogin(), host.getPassword())) {
        int code = c.getReplyCode();
        throw new TransferException(code == 421 ? ErrorKind.NETWORK : ErrorKind.AUTHENTICATION,
            "login to " + where + " failed: " + FtpErrors.text(code, c.getReplyString()));
      }
      if (c instanceof FTPSClient s) {
        s.execPBSZ(0);
        s.execPROT(opts.protectData() ? "P" : "C");
      }
      if (!c.setFileType(FTP.BINARY_FILE_TYPE)) throw FtpErrors.reply("TYPE I", c.getReplyCode(), c.getReplyString());
      if (opts.passive()) c.enterLocalPassiveMode();
      else c.enterLocalActiveMode();
      home = c.printWorkingDirectory();
      if (home == null) throw FtpErrors.reply("PWD", c.getReplyCode(), c.getReplyString());
    } catch (Exception e) {
      TransferException t = failure("cannot open FTP session to " + where, e);
      close();
      throw t;
    }
  }

  private FTPClient newClient() throws TransferException {
    FTPClient c;
    if (opts.security() == FtpOptions.Security.NONE) {
      c = new ListingData.Plain();
    } else {
      FTPSClient s = new TlsDataClient(opts.security() == FtpOptions.Security.IMPLICIT, FtpTls.context(opts));
      // with a pinned certificate the pin is the identity; the host name matters for CA trust only
      s.setEndpointCheckingEnabled(opts.strict() && opts.trustCert() == null);
      c = s;
    }
    c.setControlEncoding(opts.controlEncoding());
    c.setConnectTimeout((int) opts.connectTimeout().toMillis());
    c.setDefaultTimeout((int) opts.idleTimeout().toMillis()); // SO_TIMEOUT of the control connection
    c.setDataTimeout(opts.idleTimeout());
    c.setBufferSize(COPY_BUFFER);
    if (opts.sendBufferSize() > 0) c.setSendDataSocketBufferSize(opts.sendBufferSize());
    if (opts.receiveBufferSize() > 0) c.setReceieveDataSocketBufferSize(opts.receiveBufferSize());
    c.setUseEPSVwithIPv4(opts.extended());
    c.configure(opts.listFormat().config());
    c.setListHiddenFiles(false);
    return c;
  }

  // ------------------------------------------------------------------ put

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    return send(in, size, 0, targetPath, progress, false);
  }

  /** The temp file's size; 0 with {@code ftp.usetmp=no} (no partial copy is ever kept then). */
  @Override
  public long partialSize(String targetPath) throws TransferException {
    if (!opts.useTmp()) return 0;
    return Math.max(0, size(tmpName(clean(targetPath))));
  }

  /** REST + STOR into the temp file; with {@code ftp.usetmp=no} a full put (offset must be 0). */
  @Override
  public long resume(InputStream in, long size, long offset, String targetPath, ProgressListener progress)
      throws TransferException {
    if (!opts.useTmp() && offset > 0) {
      throw new TransferException(ErrorKind.LOCAL, "cannot resume " + targetPath + ": ftp.usetmp=no keeps no partial copy");
    }
    return send(in, size, offset, targetPath, progress, opts.useTmp());
  }

  private static String tmpName(String target) {
    return join(parent(target), "." + name(target) + TMP_SUFFIX);
  }

  private long send(InputStream in, long size, long offset, String targetPath, ProgressListener progress,
      boolean keepPartial) throws TransferException {
    FTPClient c = client();
    String target = clean(targetPath);
    String dir = parent(target);
    String dest = opts.useTmp() ? tmpName(target) : target;
    boolean started = false;
    boolean pending = false;
    try {
      OutputStream out = openStore(c, dest, dir, offset);
      started = true;
      pending = true;
      long written;
      activeData = out;
      try (out) {
        written = Sources.copy(in, out, COPY_BUFFER, progress);
        out.flush();
        if (c instanceof TlsDataClient tls) tls.finishUpload();
      } finally {
        activeData = null;
      }
      pending = false;
      if (!c.completePendingCommand()) throw FtpErrors.reply("STOR " + dest, c.getReplyCode(), c.getReplyString());
      if (size >= 0 && offset + written != size) {
        throw new TransferException(ErrorKind.LOCAL, "source gave " + (offset + written) + " bytes, expected " + size);
      }
      if (!opts.ignoreCheck()) checkSize(c, dest, offset + written);
      if (opts.useTmp()) moveIntoPlace(c, dest, target);
      if (!dir.isEmpty()) knownDirs.add(dir);
      return written;
    } catch (Exception e) {
      TransferException t = failure("cannot put " + target, e);
      if (pending) drainReply(c);
      if (started && !keepPartial) removeQuietly(c, dest);
      throw t;
    }
  }

  /** Starts STOR; when it is refused, creates the directory (if it is missing) and retries once. */
  private OutputStream openStore(FTPClient c, String dest, String dir, long offset) throws IOException {
    OutputStream out = store(c, dest, offset);
    if (out != null) return out;
    int code = c.getReplyCode();
    String text = c.getReplyString();
    if (offset == 0 && opts.mkdirs() && !dir.isEmpty() && !dir.equals("/") && FtpErrors.is550(code)) {
      knownDirs.clear(); // what this session created may have been removed by someone else since
      mkdirs(dir);
      out = store(c, dest, 0);
      if (out != null) return out;
      code = c.getReplyCode();
      text = c.getReplyString();
    }
    throw refine((offset > 0 ? "REST " + offset + " + STOR " : "STOR ") + dest, dir.isEmpty() ? "." : dir, code, text);
  }

  /** STOR, after REST when writing from an offset (commons-net sends the REST and resets the offset). */
  private static OutputStream store(FTPClient c, String dest, long offset) throws IOException {
    c.setRestartOffset(offset);
    try {
      return c.storeFileStream(dest);
    } finally {
      c.setRestartOffset(0);
    }
  }

  private void checkSize(FTPClient c, String dest, long written) throws IOException {
    String s = c.getSize(dest);
    if (s == null) return; // SIZE not implemented: nothing to check against
    long remote = Long.parseLong(s.trim());
    if (remote != written) {
      throw new TransferException(ErrorKind.NETWORK, "server stored " + remote + " bytes of " + dest + ", sent " + written);
    }
  }

  /** RNTO replaces the target on most servers (vsftpd, pure-ftpd); otherwise delete it and retry. */
  private void moveIntoPlace(FTPClient c, String from, String to) throws IOException {
    if (c.rename(from, to)) return;
    int code = c.getReplyCode();
    String text = c.getReplyString();
    if (sizeOrMinus1(c, to) >= 0 && c.deleteFile(to) && c.rename(from, to)) return;
    throw refine("rename " + from + " to " + to, from, code, text);
  }

  // ------------------------------------------------------------------ get

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    FTPClient c = client();
    String p = clean(path);
    try {
      c.setRestartOffset(Math.max(0, offset)); // REST before RETR; reset by commons-net after use
      InputStream data = c.retrieveFileStream(p);
      if (data == null) {
        c.setRestartOffset(0);
        throw refine("RETR " + p, p, c.getReplyCode(), c.getReplyString());
      }
      activeData = data;
      return new FtpRetrieveStream(data, this, p);
    } catch (IOException e) {
      throw failure("cannot read " + path, e);
    }
  }

  /** Closes a RETR's data connection and reads the final reply; strict only when all was read. */
  void finishRetrieve(InputStream data, boolean complete, String path) throws TransferException {
    activeData = null;
    try {
      data.close();
    } catch (IOException ignored) {
      // the reply below tells whether the transfer was good
    }
    FTPClient c = ftp;
    if (c == null || closed) return;
    try {
      boolean ok = c.completePendingCommand();
      if (!ok && complete) throw FtpErrors.reply("RETR " + path, c.getReplyCode(), c.getReplyString());
    } catch (IOException e) {
      if (complete) throw failure("cannot read " + path, e);
    }
  }

  // ------------------------------------------------------------------ list, size, delete, mkdirs, rename

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    List<RemoteFile> out = new ArrayList<>();
    list(directory, out::add);
    return out;
  }

  /** Parses MLSD or LIST lines as they arrive on the data connection (see {@link ListingData}). */
  @Override
  public void list(String directory, Consumer<RemoteFile> sink) throws TransferException {
    FTPClient c = client();
    String dir = clean(directory);
    try {
      if (mlsdSupported(c)) {
        if (stream(c, "MLSD", dir.isEmpty() ? null : dir, MLSxEntryParser.getInstance(), sink)) return;
        int code = c.getReplyCode();
        if (!isUnsupported(code)) throw refine("MLSD " + dir, dir, code, c.getReplyString());
        mlsd = false; // announced but refused: LIST from now on
      }
      listUnix(c, dir, sink);
    } catch (IOException e) {
      throw failure("cannot list " + directory, e);
    }
  }

  /**
   * One listing command, each line parsed and handed over before the next is read; false when the
   * server refused the command (its reply is in the client). A sink that throws ends the listing.
   */
  private boolean stream(FTPClient c, String command, String arg, FTPFileEntryParser parser, Consumer<RemoteFile> sink)
      throws IOException {
    Socket data = ((ListingData) c).openListing(command, arg);
    if (data == null) return false;
    activeData = data;
    boolean complete = false;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(data.getInputStream(), c.getControlEncoding()))) {
      for (String line = parser.readNextEntry(in); line != null; line = parser.readNextEntry(in)) {
        RemoteFile f = FtpListing.toRemoteFile(parser.parseFTPEntry(line));
        if (f != null) sink.accept(f);
      }
      complete = true;
    } finally {
      activeData = null;
      data.close();
      if (!complete) drainReply(c);
    }
    if (!c.completePendingCommand()) throw FtpErrors.reply(command + " " + arg, c.getReplyCode(), c.getReplyString());
    return true;
  }

  /** Whether listings go through MLSD (null until the first listing); for tests. */
  Boolean mlsdInUse() {
    return mlsd;
  }

  private boolean mlsdSupported(FTPClient c) throws IOException {
    if (mlsd == null) mlsd = opts.useMlsd() && c.hasFeature("MLST");
    return mlsd;
  }

  /**
   * LIST in the directory itself (CWD first), as some servers mangle LIST arguments with spaces;
   * parsed by the commons-net parser that {@link FtpListFormat} configures.
   */
  private void listUnix(FTPClient c, String dir, Consumer<RemoteFile> sink) throws IOException {
    boolean moved = !dir.isEmpty() && !dir.equals(".");
    if (moved && !c.changeWorkingDirectory(dir)) throw refine("CWD " + dir, dir, c.getReplyCode(), c.getReplyString());
    try {
      if (!stream(c, "LIST", null, listParser, sink)) {
        throw FtpErrors.reply("LIST " + dir, c.getReplyCode(), c.getReplyString());
      }
    } finally {
      if (moved) c.changeWorkingDirectory(home);
    }
  }

  @Override
  public long size(String path) throws TransferException {
    try {
      return sizeOrMinus1(client(), clean(path));
    } catch (IOException e) {
      throw failure("cannot get the size of " + path, e);
    }
  }

  /** SIZE; a 550 means missing (or not a plain file); without SIZE, MLST or LIST tell. */
  private long sizeOrMinus1(FTPClient c, String p) throws IOException {
    String s = c.getSize(p);
    if (s != null) return Long.parseLong(s.trim());
    int code = c.getReplyCode();
    if (FtpErrors.is550(code)) return -1;
    if (!isUnsupported(code)) throw FtpErrors.reply("SIZE " + p, code, c.getReplyString());
    if (mlsdSupported(c)) {
      FTPFile f = c.mlistFile(p);
      return f == null || f.isDirectory() ? -1 : f.getSize();
    }
    String dir = parent(p);
    String n = name(p);
    long[] size = {-1};
    listUnix(c, dir, f -> {
      if (f.name().equals(n) && !f.directory()) size[0] = f.size();
    });
    return size[0];
  }

  @Override
  public void delete(String path) throws TransferException {
    FTPClient c = client();
    String p = clean(path);
    try {
      if (!c.deleteFile(p)) throw refine("DELE " + p, p, c.getReplyCode(), c.getReplyString());
    } catch (IOException e) {
      throw failure("cannot delete " + path, e);
    }
  }

  @Override
  public void mkdirs(String directory) throws TransferException {
    FTPClient c = client();
    String dir = clean(directory);
    try {
      if (dir.isEmpty() || dir.equals("/") || knownDirs.contains(dir) || isDirectory(c, dir)) {
        knownDirs.add(dir);
        return;
      }
      StringBuilder prefix = new StringBuilder(dir.startsWith("/") ? "/" : "");
      for (String part : dir.split("/")) {
        if (part.isEmpty()) continue;
        if (prefix.length() > 0 && prefix.charAt(prefix.length() - 1) != '/') prefix.append('/');
        prefix.append(part);
        String p = prefix.toString();
        if (knownDirs.contains(p)) continue;
        if (!c.makeDirectory(p)) {
          int code = c.getReplyCode();
          String text = c.getReplyString();
          if (!isDirectory(c, p)) { // not a race with another session creating it
            ErrorKind kind = FtpErrors.replyKind(code, text);
            throw new TransferException(kind == ErrorKind.PROTOCOL && FtpErrors.is550(code) ? ErrorKind.PERMISSION : kind,
                "MKD " + p + ": " + FtpErrors.text(code, text));
          }
        }
        knownDirs.add(p);
      }
    } catch (IOException e) {
      throw failure("cannot create directory " + directory, e);
    }
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    try {
      moveIntoPlace(client(), clean(from), clean(to));
    } catch (IOException e) {
      throw failure("cannot rename " + from + " to " + to, e);
    }
  }

  // ------------------------------------------------------------------ helpers

  private boolean isDirectory(FTPClient c, String p) throws IOException {
    if (!c.changeWorkingDirectory(p)) return false;
    c.changeWorkingDirectory(home);
    return true;
  }

  /**
   * A negative reply about {@code path} as an exception. When the reply text leaves a 550 open
   * (vsftpd: "Failed to open file", "Delete operation failed"), whether the path exists decides
   * between NOT_FOUND and PERMISSION.
   */
  private TransferException refine(String what, String path, int code, String text) throws IOException {
    ErrorKind kind = FtpErrors.replyKind(code, text);
    if (kind == ErrorKind.PROTOCOL && FtpErrors.is550(code)) {
      FTPClient c = ftp;
      boolean exists = c != null && (path.isEmpty() || path.equals(".") || sizeOrMinus1(c, path) >= 0 || isDirectory(c, path));
      kind = exists ? ErrorKind.PERMISSION : ErrorKind.NOT_FOUND;
    }
    return new TransferException(kind, what + ": " + FtpErrors.text(code, text));
  }

  private static boolean isUnsupported(int code) {
    return code == 500 || code == 501 || code == 502 || code == 504;
  }

  /** After an aborted data transfer, reads the reply the server still owes (or fails fast). */
  private void drainReply(FTPClient c) {
    if (closed || !c.isConnected()) return;
    try {
      c.completePendingCommand();
    } catch (IOException ignored) {
      // the control connection is gone too
    }
  }

  private void removeQuietly(FTPClient c, String path) {
    if (closed || !c.isConnected()) return;
    try {
      c.deleteFile(path);
    } catch (IOException ignored) {
      // the connection is gone; a temp file may stay behind (never under the final name)
    }
  }

  /** Classifies a failure; after close() every failure is a cancellation. */
  TransferException failure(String what, Exception e) {
    if (closed) return new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)", e);
    return FtpErrors.classify(what + " (" + where + ")", e);
  }

  private FTPClient client() throws TransferException {
    FTPClient c = ftp;
    if (c == null || closed || home == null) throw new TransferException(ErrorKind.LOCAL, "FTP session is not open");
    return c;
  }

  /** Safe from any thread: aborts a running operation by closing the sockets (no QUIT round trip). */
  @Override
  public void close() {
    closed = true;
    Closeable d = activeData;
    if (d != null) {
      try {
        d.close();
      } catch (IOException ignored) {
        // already broken
      }
    }
    FTPClient c = ftp;
    if (c != null) {
      try {
        c.disconnect();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
