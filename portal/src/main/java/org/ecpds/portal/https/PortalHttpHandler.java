package org.ecpds.portal.https;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Data Portal over HTTPS: Basic authentication through {@link PortalLogin} on every request (no
 * credential or session is cached), then GET/HEAD/PUT here and everything WebDAV adds through the
 * {@link DavExtension}. File-system refusals map to HTTP statuses by their kind.
 */
public final class PortalHttpHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(PortalHttpHandler.class);
  static final String ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK";
  private static final Set<String> WRITES = Set.of("PUT", "COPY", "MOVE", "MKCOL", "PROPPATCH");
  private static final Set<String> DAV_METHODS = Set.of("PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK");

  private final PortalLogin login;
  private final String realm;
  private final DavExtension dav;
  private volatile int listingPageSize = DirectoryListing.DEFAULT_PAGE_SIZE;

  public PortalHttpHandler(PortalLogin login, String moverName, DavExtension dav) {
    this.login = login;
    // the realm is a quoted string: the mover name must not end it early
    this.realm = ("ECPDS Data Portal " + moverName).replace("\\", "").replace("\"", "");
    this.dav = dav;
  }

  /** portal.https.listingPageSize: the most entries one directory listing page holds. */
  public PortalHttpHandler listingPageSize(int entries) {
    if (entries < 1) throw new IllegalArgumentException("a listing page holds at least one entry");
    listingPageSize = entries;
    return this;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      PortalFs fs = authenticate(request, response);
      if (fs != null) {
        try (fs) {
          HttpExchange x = new HttpExchange(request, response, fs, RequestPaths.fromUrlPath(request.getHttpURI().getPath()));
          dispatch(x);
        }
      }
      callback.succeeded();
    } catch (HttpReply r) {
      reply(request, response, callback, r);
    } catch (FsException e) {
      HttpReply r = new HttpReply(status(e.kind(), request.getMethod()), e.getMessage());
      if (e.kind() == FsException.Kind.UNAVAILABLE) r.header("Retry-After", "10");
      reply(request, response, callback, r);
    } catch (IOException | RuntimeException e) {
      // mostly a client that hung up mid-transfer: not worth a warning
      if (e instanceof RuntimeException) LOG.warn("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
      else LOG.debug("{} {} ended: {}", request.getMethod(), request.getHttpURI().getPath(), e.toString());
      if (response.isCommitted()) callback.failed(e);
      else reply(request, response, callback, new HttpReply(500, "internal error"));
    }
    return true;
  }

  private void dispatch(HttpExchange x) throws IOException, HttpReply {
    switch (x.method()) {
      case "GET", "HEAD" -> {
        FsEntry e = x.fs().stat(x.path());
        if (e.directory()) DirectoryListing.serve(x, x.path(), listingPageSize);
        else FileDownload.serve(x, e);
      }
      case "PUT" -> FileUpload.put(x, dav);
      default -> {
        if (!dav.handle(x)) {
          throw new HttpReply(405, x.method() + " is not supported").header("Allow", ALLOW);
        }
      }
    }
  }

  /** The user's portal file system, or null after a 401/429 was sent. */
  private PortalFs authenticate(Request request, Response response) throws HttpReply {
    String auth = request.getHeaders().get("Authorization");
    String user = null;
    String password = null;
    if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        if (colon > 0) {
          user = pair.substring(0, colon);
          password = pair.substring(colon + 1);
        }
      } catch (IllegalArgumentException e) {
        // not base64: treated as no credentials
      }
    }
    if (user == null) throw challenge("authentication required");
    try {
      SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
      InetSocketAddress address = remote instanceof InetSocketAddress i ? i : new InetSocketAddress("0.0.0.0", 0);
      return login.password(user, password, protocolOf(request), address);
    } catch (LoginException e) {
      if (e.retryAfter().isPresent()) {
        long seconds = Math.max(1, e.retryAfter().get().toSeconds());
        throw new HttpReply(429, "too many failed logins; retry later").header("Retry-After", String.valueOf(seconds));
      }
      throw challenge("wrong user name or password");
    }
  }

  private HttpReply challenge(String message) {
    return new HttpReply(401, message).header("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
  }

  /** Event lines name the protocol: WebDAV when the request speaks it, HTTPS otherwise. */
  static String protocolOf(Request request) {
    if (DAV_METHODS.contains(request.getMethod())) return "webdav";
    var h = request.getHeaders();
    return h.contains("Depth") || h.contains("If") || h.contains("Lock-Token") || h.contains("Destination") ? "webdav" : "https";
  }

  static int status(FsException.Kind kind, String method) {
    return switch (kind) {
      case NOT_FOUND -> 404;
      case DENIED -> 403;
      case EXISTS, NOT_EMPTY, IS_DIRECTORY, NOT_DIRECTORY -> 409;
      case INVALID_NAME -> 400;
      case QUOTA_EXCEEDED -> WRITES.contains(method) ? 507 : 403;
      case UNAVAILABLE -> 503;
    };
  }

  private static void reply(Request request, Response response, Callback callback, HttpReply r) {
    if (response.isCommitted()) {
      callback.failed(r);
      return;
    }
    response.reset();
    response.setStatus(r.status());
    r.headers().forEach((k, v) -> response.getHeaders().put(k, v));
    String body;
    String accept = request.getHeaders().get("Accept");
    if (r.davCondition() != null) {
      response.getHeaders().put("Content-Type", "application/xml; charset=utf-8");
      body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<D:error xmlns:D=\"DAV:\"><D:" + r.davCondition() + "/></D:error>\n";
    } else if (accept != null && accept.contains("application/json")) {
      response.getHeaders().put("Content-Type", "application/json");
      body = "{\"status\":" + r.status() + ",\"error\":" + DirectoryListing.jsonString(String.valueOf(r.getMessage())) + "}\n";
    } else {
      response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
      body = r.status() + " " + r.getMessage() + "\n";
    }
    byte[] bytes = request.getMethod().equals("HEAD") ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (!request.getMethod().equals("HEAD")) response.getHeaders().put("Content-Length", String.valueOf(bytes.length));
    response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
  }
}
