package org.ecpds.mover.transfer.webdav;

import org.ecpds.mover.transfer.Flags;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.http.HttpClients;
import org.ecpds.mover.transfer.http.HttpErrors;
import org.ecpds.mover.transfer.http.HttpModule;
import org.ecpds.mover.transfer.http.HttpSession;
import org.ecpds.mover.transfer.http.HttpSettings;
import org.ecpds.mover.transfer.http.UrlPaths;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * WebDAV (RFC 4918) over the JDK's java.net.http client: methods {@code webdav} (scheme from
 * {@code webdav.scheme}, default http) and {@code webdavs} (https).
 *
 * <p>put = PUT to {@code .<name>.ecpds-tmp} in the target directory, then MOVE with
 * {@code Overwrite: T} to the final name, so a reader never sees a partial file; a 409 on the PUT
 * (missing parent) creates the parents with MKCOL and retries (the body is held back by
 * {@code Expect: 100-continue} until the server accepts, so the same stream is re-sent). mkdirs =
 * MKCOL, parents first only when needed (409), 405 = exists; list = PROPFIND Depth: 1 (name,
 * getcontentlength, getlastmodified, resourcetype; parsed as it streams, XXE disabled); rename =
 * MOVE (Overwrite: T; missing target parents created); delete = DELETE; get = GET with Range;
 * size = HEAD Content-Length (404 -> -1).
 *
 * <p>Options: the same as {@link HttpModule} with the {@code webdav.} prefix —
 * {@code webdav.scheme}, {@code webdav.port}, {@code webdav.path} [/], {@code webdav.connectTimeout}
 * [{@code ectrans.connectTimeout}, 30s], {@code webdav.idleTimeout} [{@code ectrans.idleTimeout},
 * 60s], {@code webdav.trustCert} [JVM trust], {@code webdav.sslValidation} [true],
 * {@code webdav.bearerToken}, {@code webdav.headers}, {@code webdav.expectContinue} [true] — plus
 * {@code webdav.usetmp} [true]: false PUTs straight to the final name (for servers that publish
 * PUTs atomically themselves, saves the MOVE) and {@code webdav.mkdirs} [true]: false never sends
 * MKCOL (a PUT into a missing directory then fails).
 */
public final class WebDavModule implements TransferModule {
  static final String TMP_SUFFIX = ".ecpds-tmp";
  private static final String PROPFIND = """
      <?xml version="1.0" encoding="utf-8"?>
      <D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/><D:getlastmodified/></D:prop></D:propfind>
      """;

  private final HttpClients clients;
  private volatile HttpSession session;
  private boolean useTmp = true;
  private boolean mkdirs = true;

  WebDavModule(HttpClients clients) {
    this.clients = clients;
  }

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    String defaultScheme = host.getTransferMethod().trim().equalsIgnoreCase("webdavs") ? "https" : "http";
    session = new HttpSession(clients, HttpSettings.from("webdav", host, options, defaultScheme));
    try {
      useTmp = Flags.of(options.getOrDefault("webdav.usetmp", "true"));
      mkdirs = Flags.of(options.getOrDefault("webdav.mkdirs", "true"));
    } catch (IllegalArgumentException e) {
      throw new TransferException(ErrorKind.PROTOCOL, "invalid webdav option: " + e.getMessage());
    }
  }

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    HttpSession s = session();
    String target = UrlPaths.stripSlash(s.urlPath(targetPath));
    String dir = UrlPaths.parent(target);
    String tmp = useTmp ? (dir.endsWith("/") ? dir : dir + "/") + "." + UrlPaths.name(target) + TMP_SUFFIX : target;
    URI uri = s.uri(tmp);
    String what = "PUT " + uri;
    Map<String, String> headers = Map.of("Content-Type", "application/octet-stream");
    try {
      HttpSession.Upload up = s.upload(what, "PUT", uri, headers, in, size, progress);
      if (up.reply().status() == 409 && mkdirs && !up.sourceStarted()) {
        mkcol(s, dir);
        up = s.upload(what, "PUT", uri, headers, in, size, progress);
      }
      if (!up.reply().ok()) throw HttpErrors.status(what, up.reply().status(), up.reply().body());
      if (useTmp) move(s, tmp, target, false);
      return up.bytes();
    } catch (TransferException e) {
      // after a refusal or a failed MOVE the temp file may be there; when the link is down or the
      // session cancelled, a clean-up would only wait (the hidden temp name is reused next time)
      boolean reachable = e.kind() != ErrorKind.NETWORK && e.kind() != ErrorKind.CANCELLED
          && e.kind() != ErrorKind.AUTHENTICATION;
      if (useTmp && reachable && !s.isClosed()) deleteQuietly(s, tmp);
      throw e;
    }
  }

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    HttpSession s = session();
    return HttpModule.get(s, s.urlPath(path), offset);
  }

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    HttpSession s = session();
    String dir = s.urlPath(directory);
    if (!dir.endsWith("/")) dir += "/";
    URI uri = s.uri(dir);
    String what = "PROPFIND " + uri;
    var b = s.request(uri).method("PROPFIND", BodyPublishers.ofString(PROPFIND))
        .header("Depth", "1").header("Content-Type", "application/xml; charset=utf-8");
    HttpResponse<InputStream> r = s.open(what, b);
    if (r.statusCode() != 207) throw HttpModule.failure(s, what, r);
    try (InputStream xml = s.guard(what, r, -1)) {
      return Multistatus.children(xml, dir);
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw new TransferException(ErrorKind.PROTOCOL, what + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String path) throws TransferException {
    HttpSession s = session();
    HttpModule.delete(s, s.urlPath(path));
  }

  @Override
  public void mkdirs(String directory) throws TransferException {
    HttpSession s = session();
    mkcol(s, UrlPaths.stripSlash(s.urlPath(directory)));
  }

  /**
   * MKCOL the directory; only if the server says a parent is missing (409), the parents first.
   * The common cases (exists: 405, or parent present) cost one request.
   */
  private void mkcol(HttpSession s, String dir) throws TransferException {
    if (dir.equals("/") || dir.isEmpty()) return;
    URI uri = s.uri(dir + "/");
    String what = "MKCOL " + uri;
    HttpSession.Reply r = s.send(what, "MKCOL", uri, Map.of(), null);
    if (r.status() == 409) {
      mkcol(s, UrlPaths.parent(dir));
      r = s.send(what, "MKCOL", uri, Map.of(), null);
    }
    // 405: something exists there already (a collection, as a racing session may have made it)
    if (!r.ok() && r.status() != 405) throw HttpErrors.status(what, r.status(), r.body());
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    HttpSession s = session();
    move(s, UrlPaths.stripSlash(s.urlPath(from)), UrlPaths.stripSlash(s.urlPath(to)), mkdirs);
  }

  private void move(HttpSession s, String from, String to, boolean makeParents) throws TransferException {
    URI src = s.uri(from);
    String what = "MOVE " + src + " to " + to;
    Map<String, String> headers = Map.of("Destination", s.uri(to).toString(), "Overwrite", "T");
    HttpSession.Reply r = s.send(what, "MOVE", src, headers, null);
    if (r.status() == 409 && makeParents) {
      mkcol(s, UrlPaths.parent(to));
      r = s.send(what, "MOVE", src, headers, null);
    }
    if (!r.ok()) throw HttpErrors.status(what, r.status(), r.body());
  }

  @Override
  public long size(String path) throws TransferException {
    HttpSession s = session();
    return HttpModule.size(s, s.urlPath(path));
  }

  private static void deleteQuietly(HttpSession s, String path) {
    try {
      HttpModule.delete(s, path);
    } catch (TransferException ignored) {
      // not there (the PUT never started) or the server is gone: nothing to clean
    }
  }

  private HttpSession session() throws TransferException {
    return HttpSession.requireOpen(session, "WebDAV");
  }

  /** Safe from any thread: aborts a running operation. */
  @Override
  public void close() {
    HttpSession s = session;
    if (s != null) s.close();
  }
}
