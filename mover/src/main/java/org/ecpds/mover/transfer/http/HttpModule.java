package org.ecpds.mover.transfer.http;

import org.ecpds.mover.transfer.Flags;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * Plain HTTP/HTTPS on the JDK's java.net.http client (HTTP/1.1, streamed bodies, keep-alive
 * connections shared by the sessions of a factory). Methods {@code http} and {@code https}.
 *
 * <p>URL: {@code <scheme>://<address>:<port><http.path>/<remote path>}; a relative remote path is
 * under {@code http.path}, an absolute one starts at the server root; names are UTF-8
 * percent-encoded.
 *
 * <p>Operations: get = GET (resume with {@code Range: bytes=N-}; a server that ignores Range is
 * skipped forward); put = PUT (or POST) of the streamed body, Content-Length when the size is
 * known, chunked otherwise, with {@code Expect: 100-continue} so that a refusal costs no data;
 * size = HEAD Content-Length (404 -> -1); delete = DELETE; list = GET of the directory's index
 * page (see {@link IndexParser}). Plain HTTP has no rename and no directories: {@link #rename}
 * fails PROTOCOL ("not supported"; use the webdav method) and {@link #mkdirs} does nothing (servers
 * such as nginx with {@code create_full_put_path} create the parents of a PUT). A put is atomic only
 * if the server makes it so: nginx and Apache spool the body to a temp file and rename it into
 * place when complete, so readers never see a partial file there.
 *
 * <p>Options (HostSpec.options), defaults in brackets:
 * <ul>
 *   <li>{@code http.scheme} [http for method http, https for https]; {@code http.port} [80/443;
 *       HostSpec.port wins]; {@code http.path} [/] base path</li>
 *   <li>{@code http.connectTimeout} [{@code ectrans.connectTimeout}, 30s];
 *       {@code http.idleTimeout} [{@code ectrans.idleTimeout}, 60s]: no byte moved for that long
 *       fails NETWORK</li>
 *   <li>credentials: HostSpec login/password as preemptive Basic auth; {@code http.bearerToken}
 *       [none] sends {@code Authorization: Bearer <token>} instead; {@code http.headers} [none]
 *       extra "Name: value" headers, one per line or separated by '|'</li>
 *   <li>{@code http.trustCert} [JVM trust store] PEM certificate(s) (inline or a file path) to
 *       trust for HTTPS, e.g. a self-signed server; {@code http.sslValidation} [true]: false
 *       accepts any certificate and name (insecure)</li>
 *   <li>{@code http.uploadMethod} [PUT] or POST (OpenECPDS {@code http.usePost=true} = POST);
 *       a POST carries {@code Content-Disposition: attachment; filename="<name>"}</li>
 *   <li>{@code http.uploadEndPoint} [none: the target's own URL] URL or path (relative to
 *       {@code http.path}) receiving uploads; {@code {path}} and {@code {name}} in it are replaced
 *       with the encoded target path and file name</li>
 *   <li>{@code http.listFormat} [auto] html, json, or auto (JSON when the reply says
 *       application/json)</li>
 *   <li>{@code http.expectContinue} [true]: send {@code Expect: 100-continue} on uploads</li>
 * </ul>
 *
 * <p>Errors: 401/407 AUTHENTICATION, 403 PERMISSION, 404/410 NOT_FOUND, 408/429/502/503/504 and
 * connection refused/reset/timeouts NETWORK (retryable), other statuses PROTOCOL with the status
 * line and the start of the server's reply, a failing source LOCAL.
 */
public final class HttpModule implements TransferModule {
  private final HttpClients clients;
  private volatile HttpSession session;
  private String uploadMethod = "PUT";
  private String uploadEndPoint;
  private String listFormat = "auto";

  HttpModule(HttpClients clients) {
    this.clients = clients;
  }

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    String defaultScheme = host.getTransferMethod().trim().equalsIgnoreCase("https") ? "https" : "http";
    session = new HttpSession(clients, HttpSettings.from("http", host, options, defaultScheme));
    boolean post;
    try {
      post = Flags.of(options.getOrDefault("http.usePost", "false"));
    } catch (IllegalArgumentException e) {
      throw new TransferException(ErrorKind.PROTOCOL, "invalid option http.usePost: " + e.getMessage());
    }
    uploadMethod = HttpSettings.opt(options, "http", "uploadMethod", post ? "POST" : "PUT").toUpperCase(Locale.ROOT);
    if (!uploadMethod.equals("PUT") && !uploadMethod.equals("POST")) {
      throw new TransferException(ErrorKind.PROTOCOL, "http.uploadMethod must be PUT or POST, not " + uploadMethod);
    }
    uploadEndPoint = HttpSettings.opt(options, "http", "uploadEndPoint", "").trim();
    listFormat = HttpSettings.opt(options, "http", "listFormat", "auto").toLowerCase(Locale.ROOT);
    if (!List.of("auto", "html", "json").contains(listFormat)) {
      throw new TransferException(ErrorKind.PROTOCOL, "http.listFormat must be auto, html or json, not " + listFormat);
    }
  }

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    HttpSession s = session();
    String path = s.urlPath(targetPath);
    URI uri = uploadUri(s, path);
    String what = uploadMethod + " " + uri;
    Map<String, String> headers = uploadMethod.equals("POST")
        ? Map.of("Content-Disposition", "attachment; filename=\"" + UrlPaths.name(path).replace("\"", "") + "\"",
            "Content-Type", "application/octet-stream")
        : Map.of("Content-Type", "application/octet-stream");
    HttpSession.Upload up = s.upload(what, uploadMethod, uri, headers, in, size, progress);
    if (!up.reply().ok()) {
      TransferException e = HttpErrors.status(what, up.reply().status(), up.reply().body());
      if (up.reply().status() == 409) {
        throw new TransferException(e.kind(), e.getMessage() + " (a missing parent directory? plain HTTP cannot create "
            + "one: use the webdav method or a server that creates parents)");
      }
      throw e;
    }
    return up.bytes();
  }

  private static URI uploadUri(HttpSession s, String path, String endPoint) {
    if (endPoint.isEmpty()) return s.uri(path);
    String e = endPoint.replace("{path}", UrlPaths.encodePath(path)).replace("{name}",
        UrlPaths.encodePath(UrlPaths.name(path)));
    if (e.startsWith("http://") || e.startsWith("https://")) return URI.create(e);
    String base = e.startsWith("/") ? "" : s.settings().basePath() + "/";
    return URI.create(s.settings().origin() + (base + e).replaceAll("/{2,}", "/"));
  }

  private URI uploadUri(HttpSession s, String path) {
    return uploadUri(s, path, uploadEndPoint);
  }

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    return get(session(), session().urlPath(path), offset);
  }

  /** GET with resume, shared with the webdav module. */
  public static InputStream get(HttpSession s, String urlPath, long offset) throws TransferException {
    URI uri = s.uri(urlPath);
    String what = "GET " + uri;
    var b = s.request(uri).GET();
    if (offset > 0) b.header("Range", "bytes=" + offset + "-");
    HttpResponse<InputStream> r = s.open(what, b);
    int status = r.statusCode();
    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
    if (offset > 0 && status == 416) {
      // only a resume from exactly the end is an empty success; past the end is an error
      String range = r.headers().firstValue("Content-Range").orElse("");
      HttpSession.discard(r);
      long total = range.matches("bytes \\*/\\d+") ? Long.parseLong(range.substring(range.indexOf('/') + 1))
          : size(s, urlPath);
      if (total == offset) return InputStream.nullInputStream();
      throw new TransferException(ErrorKind.PROTOCOL, what + ": offset " + offset + " is past the end ("
          + (total < 0 ? "file missing" : total + " bytes") + ")");
    }
    if (status != 200 && status != 206) throw failure(s, what, r);
    InputStream in = s.guard(what, r, length);
    if (offset > 0 && status == 200) {
      try { // the server ignored Range: skip forward ourselves
        long skipped = skip(in, offset);
        if (skipped < offset) throw new TransferException(ErrorKind.PROTOCOL, what + ": offset " + offset + " is past the end");
      } catch (IOException e) {
        closeQuietly(in);
        throw HttpErrors.classify(what, e);
      }
    }
    if (offset > 0 && status == 206) {
      Optional<String> range = r.headers().firstValue("Content-Range");
      if (range.isPresent() && !range.get().matches("(?i)bytes\\s+" + offset + "-.*")) {
        closeQuietly(in);
        throw new TransferException(ErrorKind.PROTOCOL, what + ": asked for bytes " + offset + "-, got " + range.get());
      }
    }
    return in;
  }

  /** Reads the start of an error body and classifies the status. */
  public static TransferException failure(HttpSession s, String what, HttpResponse<InputStream> r) {
    byte[] body;
    try (InputStream in = s.guard(what, r, -1)) {
      body = in.readNBytes(4096);
    } catch (IOException e) {
      body = new byte[0];
    }
    return HttpErrors.status(what, r.statusCode(), body);
  }

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    HttpSession s = session();
    String dir = s.urlPath(directory);
    if (!dir.endsWith("/")) dir += "/";
    URI uri = s.uri(dir);
    String what = "GET " + uri;
    var b = s.request(uri).GET().header("Accept", listFormat.equals("json") ? "application/json"
        : listFormat.equals("html") ? "text/html" : "text/html, application/json;q=0.9, */*;q=0.5");
    HttpResponse<InputStream> r = s.open(what, b);
    if (r.statusCode() != 200) throw failure(s, what, r);
    String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    boolean json = listFormat.equals("json") || (listFormat.equals("auto") && type.contains("json"));
    try (Reader page = new InputStreamReader(s.guard(what, r, -1), charset(type))) {
      return json ? IndexParser.json(page) : IndexParser.html(page, dir);
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw new TransferException(ErrorKind.PROTOCOL, what + ": cannot read the listing: " + e.getMessage(), e);
    }
  }

  private static Charset charset(String contentType) {
    int i = contentType.indexOf("charset=");
    if (i < 0) return StandardCharsets.UTF_8;
    try {
      return Charset.forName(contentType.substring(i + 8).replaceAll("[\";].*$", "").trim());
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }

  @Override
  public void delete(String path) throws TransferException {
    delete(session(), session().urlPath(path));
  }

  public static void delete(HttpSession s, String urlPath) throws TransferException {
    URI uri = s.uri(urlPath);
    HttpSession.Reply r = s.send("DELETE " + uri, "DELETE", uri, Map.of(), null);
    if (!r.ok()) throw HttpErrors.status("DELETE " + uri, r.status(), r.body());
  }

  /** Plain HTTP has no directories to create: a no-op (servers like nginx create PUT parents). */
  @Override
  public void mkdirs(String directory) throws TransferException {
    session();
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    session();
    throw new TransferException(ErrorKind.PROTOCOL,
        "cannot rename " + from + " to " + to + ": plain HTTP has no rename (not supported; use the webdav method)");
  }

  @Override
  public long size(String path) throws TransferException {
    return size(session(), session().urlPath(path));
  }

  /** HEAD Content-Length; -1 when absent (404/410). */
  public static long size(HttpSession s, String urlPath) throws TransferException {
    URI uri = s.uri(urlPath);
    String what = "HEAD " + uri;
    HttpSession.Reply r = s.send(what, "HEAD", uri, Map.of(), null);
    if (r.status() == 404 || r.status() == 410) return -1;
    if (!r.ok()) throw HttpErrors.status(what, r.status(), r.body());
    var len = r.headers().firstValueAsLong("Content-Length");
    if (len.isPresent()) return len.getAsLong();
    // no length on HEAD (dynamic content): ask for one byte and read the total from Content-Range
    var b = s.request(uri).GET().header("Range", "bytes=0-0");
    HttpResponse<InputStream> g = s.open("GET " + uri, b);
    HttpSession.discard(g);
    String range = g.headers().firstValue("Content-Range").orElse("");
    int slash = range.lastIndexOf('/');
    if (g.statusCode() == 206 && slash > 0 && !range.endsWith("*")) return Long.parseLong(range.substring(slash + 1).trim());
    throw new TransferException(ErrorKind.PROTOCOL, what + ": the server gives no size");
  }

  private static long skip(InputStream in, long n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long done = 0;
    while (done < n) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) break;
      done += r;
    }
    return done;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing more to do
    }
  }

  private HttpSession session() throws TransferException {
    return HttpSession.requireOpen(session, "HTTP");
  }

  @Override
  public void close() {
    HttpSession s = session;
    if (s != null) s.close();
  }
}
