package org.ecpds.mover.upload;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.LoginGuard.Attempt;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.events.EventLog;
import org.ecpds.mover.link.StoredReporter;
import org.ecpds.mover.store.AlreadyStoredException;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.store.InsufficientSpaceException;
import org.ecpds.mover.store.SizeMismatchException;
import org.ecpds.mover.store.StoredFile;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUT /upload/{dataFileId}} and {@code GET /health}. The body streams straight into the
 * data store; the client gets 200 only once the file is durable and the master acknowledged it.
 * A failure before the content is stored keeps nothing. Once it is stored, it stays until the
 * master answers its report for good (see {@link StoredReporter}): when that answer does not come
 * in time the client gets 503 with {@code "pending":true} and asks the master whether the data
 * file arrived, instead of pushing it again.
 */
final class UploadHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(UploadHandler.class);
  /** The protocol name of CLI uploads in event lines (as OpenECPDS calls its own transfers). */
  static final String PROTOCOL = "ecpds";
  private static final Pattern UPLOAD = Pattern.compile("/upload/(\\d{1,18})");
  /**
   * A refusal decided before the body was read (409, 401, 503...) still reads and discards up to
   * this much of the body first: answering while the client is still writing lets the connection
   * close under it, and java.net.http then reports the broken write instead of the answer.
   */
  private static final long MAX_DRAIN = 64L << 20;
  /** Request attribute: the handler began streaming the body into the store. */
  private static final String BODY_STARTED = UploadHandler.class.getName() + ".bodyStarted";

  private final DataStore store;
  private final UploadTokens tokens;
  private final StoredReporter reporter;
  private final Duration ackTimeout;
  private final String moverName;
  private final LoginGuard guard;

  UploadHandler(DataStore store, UploadTokens tokens, StoredReporter reporter, Duration ackTimeout, String moverName,
      LoginGuard guard) {
    this.moverName = moverName;
    this.guard = guard;
    this.store = store;
    this.tokens = tokens;
    this.reporter = reporter;
    this.ackTimeout = ackTimeout;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    if (path.equals("/health") && method.equals("GET")) {
      reply(request, response, callback, HttpStatus.OK_200, Json.object(Map.of("status", "ok",
          "master", reporter.isConnected() ? "connected" : "disconnected")));
      return true;
    }
    Matcher m = UPLOAD.matcher(path);
    if (!m.matches()) {
      reply(request, response, callback, HttpStatus.NOT_FOUND_404, Json.error("no such resource: " + path));
      return true;
    }
    if (!method.equals("PUT")) {
      response.getHeaders().put(HttpHeader.ALLOW, "PUT");
      reply(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, Json.error("use PUT to upload"));
      return true;
    }
    Outcome o = upload(Long.parseLong(m.group(1)), request);
    if (o.retryAfterSeconds > 0) response.getHeaders().put(HttpHeader.RETRY_AFTER, o.retryAfterSeconds);
    reply(request, response, callback, o.status, o.body);
    return true;
  }

  private record Outcome(int status, String body, long retryAfterSeconds) {
    Outcome(int status, String body) {
      this(status, body, 0);
    }

    static Outcome error(int status, String message) {
      return new Outcome(status, Json.error(message));
    }

    /** 429 with the wait in whole seconds. */
    static Outcome tooManyAttempts(Duration wait) {
      long seconds = LoginGuard.retryAfterSeconds(wait);
      return new Outcome(HttpStatus.TOO_MANY_REQUESTS_429,
          Json.error("too many invalid upload tokens from this address; retry in " + seconds + " s"), seconds);
    }
  }

  private Outcome upload(long id, Request request) {
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    // The guard's wait is answered with 429 + Retry-After, never slept on: a sleeping upload
    // thread per attempt would let junk requests exhaust the pool that real uploads need.
    Attempt attempt = new Attempt(PROTOCOL, moverName, Request.getRemoteAddr(request), "");
    Duration wait = guard.waitBefore(attempt);
    if (!wait.isZero()) return Outcome.tooManyAttempts(wait);
    if (!tokens.verify(id, token, System.currentTimeMillis())) {
      Duration hold = guard.refused(attempt, "Invalid upload token for DataFileId " + id);
      return hold.isZero() ? Outcome.error(HttpStatus.UNAUTHORIZED_401, "invalid or expired upload token for data file " + id)
          : Outcome.tooManyAttempts(hold);
    }
    long expected;
    try {
      expected = expectedSize(request);
    } catch (IllegalArgumentException e) {
      return Outcome.error(HttpStatus.BAD_REQUEST_400, e.getMessage());
    }
    if (store.locate(id).isPresent()) {
      return Outcome.error(HttpStatus.CONFLICT_409, "data file " + id + " is already stored");
    }
    // Checked before reading the body: storing gigabytes that cannot be acknowledged is pointless.
    if (!reporter.isConnected()) {
      return Outcome.error(HttpStatus.SERVICE_UNAVAILABLE_503, "mover is not connected to the master; retry later");
    }
    long start = System.nanoTime();
    StoredFile stored;
    try {
      store.ensureRoom(id, expected);
    } catch (InsufficientSpaceException e) {
      return Outcome.error(HttpStatus.INSUFFICIENT_STORAGE_507, e.getMessage());
    }
    request.setAttribute(BODY_STARTED, Boolean.TRUE);
    try (InputStream in = Content.Source.asInputStream(request)) {
      try {
        stored = store.store(id, in, expected);
      } catch (IOException e) {
        // read the rest before the stream closes (closing early fails the request body), so
        // that the client, still writing, gets this answer and not a broken connection
        drain(in);
        throw e;
      }
    } catch (InsufficientSpaceException e) {
      return Outcome.error(HttpStatus.INSUFFICIENT_STORAGE_507, e.getMessage());
    } catch (AlreadyStoredException e) {
      return Outcome.error(HttpStatus.CONFLICT_409, e.getMessage());
    } catch (SizeMismatchException e) {
      return Outcome.error(HttpStatus.BAD_REQUEST_400, e.getMessage());
    } catch (IOException e) {
      LOG.warn("upload of data file {} failed: {}", id, e.toString());
      return Outcome.error(HttpStatus.INTERNAL_SERVER_ERROR_500, "cannot store data file " + id + ": " + e.getMessage());
    }
    Outcome o = acknowledge(stored);
    if (o.status == HttpStatus.OK_200) inhEvent(stored, request, (System.nanoTime() - start) / 1_000_000);
    return o;
  }

  /** INH: a CLI push arrived (OpenECPDS event line). */
  private void inhEvent(StoredFile f, Request request, long millis) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("DataFileId", f.dataFileId());
    e.put("Duration", millis);
    e.put("BytesSent", f.size());
    e.put("TransferProtocol", "ecpds");
    e.put("TransferServer", moverName);
    e.put("HostAddress", Request.getRemoteAddr(request));
    e.put("Caller", caller(request));
    e.put("Action", "upload");
    EventLog.write("INH", e);
  }

  /** The pushing job (ecpds -caller, X-Ecpds-Caller), bounded: it only goes into the event line. */
  private static String caller(Request request) {
    String c = request.getHeaders().get("X-Ecpds-Caller");
    if (c == null) return "";
    c = c.strip();
    return c.length() > 256 ? c.substring(0, 256) : c;
  }

  private Outcome acknowledge(StoredFile f) {
    Stored msg = Stored.newBuilder().setDataFileId(f.dataFileId()).setSize(f.size()).setSha256(f.sha256())
        .setVolume(f.volume().toString()).build();
    String why;
    try {
      StoredAck ack = reporter.reportStored(msg).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (ack.getOk()) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("dataFileId", f.dataFileId());
        body.put("size", f.size());
        body.put("sha256", f.sha256());
        return new Outcome(HttpStatus.OK_200, Json.object(body));
      }
      // refused for good: the reporter removed the content
      if (ack.getRefused()) {
        return Outcome.error(HttpStatus.CONFLICT_409, "master refused data file " + f.dataFileId() + ": " + ack.getMessage());
      }
      why = "master could not record it yet: " + ack.getMessage();
    } catch (TimeoutException e) {
      why = "master did not acknowledge within " + ackTimeout.toMillis() + " ms";
    } catch (ExecutionException e) {
      why = "master unreachable: " + e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted while waiting for the master";
    }
    return pending(f.dataFileId(), why);
  }

  /** 503 for content that is stored and whose arrival the master has not confirmed yet. */
  private static Outcome pending(long id, String why) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "error");
    body.put("message", "data file " + id + " is stored on the mover but its arrival is not confirmed (" + why
        + "); the master's GET /datafile/" + id + " tells when it arrived");
    body.put("dataFileId", id);
    body.put("pending", true);
    return new Outcome(HttpStatus.SERVICE_UNAVAILABLE_503, Json.object(body));
  }

  /** X-Ecpds-Size wins (it survives chunked encoding); both given and different is an error. */
  private static long expectedSize(Request request) {
    long header = parseSize(request.getHeaders().get("X-Ecpds-Size"), "X-Ecpds-Size");
    long length = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
    if (header >= 0 && length >= 0 && header != length) {
      throw new IllegalArgumentException("X-Ecpds-Size " + header + " does not match Content-Length " + length);
    }
    return header >= 0 ? header : length;
  }

  private static long parseSize(String v, String name) {
    if (v == null || v.isBlank()) return -1;
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + name + ": " + v);
    }
  }

  /**
   * Jetty keeps the connection only when the request body was read to its end by the time the
   * handler completes; otherwise it closes it right after the response, which would not say so:
   * a client still writing the body loses the answer, and a pooled client (java.net.http) sends
   * its next PUT into the closing connection (both: "header parser received no bytes"). So the
   * body is finished first, and when that is not possible the answer announces the close.
   */
  private static void reply(Request request, Response response, Callback callback, int status, String json) {
    if (!finishBody(request)) response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Content.Sink.write(response, true, json, callback);
  }

  /** Reads the rest of the request body, if any, up to {@link #MAX_DRAIN}; true when it reached its end. */
  private static boolean finishBody(Request request) {
    boolean started = request.getAttribute(BODY_STARTED) != null;
    // Reading would make Jetty send "100 Continue" and invite a body that is going to be refused.
    if (!started && request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) return false;
    if (!started && request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > MAX_DRAIN) return false;
    // After a complete read this returns the end at once; after a failed one, the failure.
    try (InputStream in = Content.Source.asInputStream(request)) {
      return drain(in);
    } catch (IOException e) {
      LOG.debug("request body not read to its end: {}", e.toString());
      return false;
    }
  }

  /** Reads and discards up to {@link #MAX_DRAIN} bytes; true when the end was reached. */
  private static boolean drain(InputStream in) {
    try {
      byte[] discard = new byte[64 * 1024];
      long left = MAX_DRAIN;
      int n;
      while ((n = in.read(discard)) >= 0) {
        left -= n;
        if (left < 0) return false;
      }
      return true;
    } catch (IOException e) {
      LOG.debug("request body not read to its end: {}", e.toString());
      return false;
    }
  }
}
