package org.ecpds.mover.transfer.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * One module session over a shared JDK {@link HttpClient}: builds URLs from remote paths, adds the
 * credentials, and runs exchanges with the idle timeout enforced (java.net.http only knows a
 * whole-request timeout, useless for a 2 GiB upload). {@link #close()} from another thread aborts
 * whatever is running.
 */
public final class HttpSession implements AutoCloseable {
  /** A finished exchange whose body was small enough to keep (error pages, XML, index pages are streamed). */
  public record Reply(int status, HttpHeaders headers, byte[] body) {
    public boolean ok() {
      return status / 100 == 2;
    }
  }

  /** Result of an upload: the server's reply, the bytes sent and whether the source was touched. */
  public record Upload(Reply reply, long bytes, boolean sourceStarted) {}

  private static final int KEEP_BODY = 64 * 1024;

  private final HttpSettings settings;
  private final HttpClient client;
  private final HttpClients shared;
  private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
  private final Set<ResponseStream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public HttpSession(HttpClients shared, HttpSettings settings) throws TransferException {
    this.shared = shared;
    this.settings = settings;
    this.client = shared.client(settings);
  }

  public HttpSettings settings() {
    return settings;
  }

  /** The decoded URL path of a remote path (relative paths are under the base path). */
  public String urlPath(String remote) {
    return UrlPaths.resolve(settings.basePath(), remote);
  }

  public URI uri(String urlPath) {
    return URI.create(settings.origin() + UrlPaths.encodePath(urlPath));
  }

  /** A request with credentials and the configured headers. */
  public HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("User-Agent", "ecpds-mover");
    if (settings.authorization() != null) b.header("Authorization", settings.authorization());
    for (String[] h : settings.headers()) b.header(h[0], h[1]);
    return b;
  }

  /** A bodiless (or small-bodied) exchange; the response body is kept up to 64 KiB. */
  public Reply send(String what, String method, URI uri, Map<String, String> headers, String body) throws TransferException {
    HttpRequest.Builder b = request(uri).timeout(settings.idleTimeout())
        .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    headers.forEach(b::header);
    HttpResponse<InputStream> r = await(what, client.sendAsync(build(what, b), BodyHandlers.ofInputStream()), null);
    return new Reply(r.statusCode(), r.headers(), readBody(what, r));
  }

  /** An exchange whose response body is streamed (GET of a file or an index, PROPFIND of a big directory). */
  public HttpResponse<InputStream> open(String what, HttpRequest.Builder b) throws TransferException {
    return await(what, client.sendAsync(build(what, b.timeout(settings.idleTimeout())), BodyHandlers.ofInputStream()), null);
  }

  /** Wraps a streamed body with the idle timeout and a Content-Length check; the session can abort it. */
  public InputStream guard(String what, HttpResponse<InputStream> r, long expected) {
    ResponseStream[] self = new ResponseStream[1];
    ResponseStream s = new ResponseStream(r.body(), expected, what, settings.idleTimeout(), shared.timer(),
        () -> streams.remove(self[0]));
    self[0] = s;
    streams.add(s);
    if (closed) s.close0();
    return s;
  }

  /**
   * Streams {@code in} as the body of {@code method uri}; with a known size as Content-Length, else
   * chunked. With Expect: 100-continue the server can refuse (401, 409...) before the source is
   * read, which lets callers fix the cause and retry with the same stream.
   */
  public Upload upload(String what, String method, URI uri, Map<String, String> headers, InputStream in, long size,
      ProgressListener progress) throws TransferException {
    long[] lastActivity = {System.nanoTime()};
    SourcePublisher source = new SourcePublisher(in, size, progress, () -> lastActivity[0] = System.nanoTime());
    BodyPublisher body = size == 0 ? BodyPublishers.noBody()
        : size > 0 ? BodyPublishers.fromPublisher(source, size) : BodyPublishers.fromPublisher(source);
    HttpRequest.Builder b = request(uri).method(method, body).expectContinue(settings.expectContinue() && size != 0);
    headers.forEach(b::header);
    HttpResponse<InputStream> r;
    try {
      if (size == 0 && in.read() >= 0) throw new TransferException(ErrorKind.LOCAL, "the source is not empty (size 0 announced)");
      r = await(what, client.sendAsync(build(what, b), BodyHandlers.ofInputStream()), lastActivity);
    } catch (IOException e) {
      TransferException local = source.failure();
      if (local != null) throw new TransferException(ErrorKind.LOCAL, what + ": " + local.getMessage(), local);
      throw HttpErrors.classify(what, e);
    }
    if (source.failure() != null) throw new TransferException(ErrorKind.LOCAL, what + ": " + source.failure().getMessage());
    byte[] reply;
    if (size != 0 && !source.started() && r.statusCode() / 100 != 2) {
      // refused before 100-continue: JDK 17's HTTP/1.1 client never delivers the body of such a
      // reply (reading it hangs), so drop it and the connection with it
      closeQuietly(r.body());
      reply = new byte[0];
    } else {
      reply = readBody(what, r);
    }
    return new Upload(new Reply(r.statusCode(), r.headers(), reply), source.count(), source.started());
  }

  private HttpRequest build(String what, HttpRequest.Builder b) throws TransferException {
    if (closed) throw new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)");
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new TransferException(ErrorKind.PROTOCOL, what + ": invalid request: " + e.getMessage(), e);
    }
  }

  /**
   * Waits for the response headers. With {@code activity} (an upload), the wait fails once the
   * source has not been read for the idle timeout: the connection stopped taking data.
   */
  private <T> HttpResponse<T> await(String what, CompletableFuture<HttpResponse<T>> cf, long[] activity)
      throws TransferException {
    running.add(cf);
    try {
      if (closed) cf.cancel(true);
      long idle = settings.idleTimeout().toNanos();
      while (true) {
        try {
          return cf.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (activity != null && System.nanoTime() - activity[0] > idle) {
            cf.cancel(true);
            throw new TransferException(ErrorKind.NETWORK,
                what + ": no progress for " + settings.idleTimeout().toSeconds() + "s (idle timeout)");
          }
        }
      }
    } catch (ExecutionException e) {
      if (closed) throw new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)", e.getCause());
      throw HttpErrors.classify(what, e.getCause());
    } catch (java.util.concurrent.CancellationException e) {
      throw new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cf.cancel(true);
      throw new TransferException(ErrorKind.CANCELLED, what + ": interrupted", e);
    } finally {
      running.remove(cf);
    }
  }

  /** Reads a (small) response body; a larger one is cut to 64 KiB and the connection dropped. */
  private byte[] readBody(String what, HttpResponse<InputStream> r) throws TransferException {
    try (InputStream in = guard(what, r, -1)) {
      return in.readNBytes(KEEP_BODY);
    } catch (IOException e) {
      throw HttpErrors.classify(what, e);
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // dropped with the connection
    }
  }

  /** Reads and discards what is left of a body, so that the connection can be reused. */
  public static void discard(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.skip(Long.MAX_VALUE);
    } catch (IOException ignored) {
      // the connection is dropped instead
    }
  }

  /** {@code s} if it is open; else a LOCAL failure (the module was closed or never opened). */
  public static HttpSession requireOpen(HttpSession s, String protocol) throws TransferException {
    if (s == null || s.isClosed()) throw new TransferException(ErrorKind.LOCAL, protocol + " session is not open");
    return s;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Safe from any thread: aborts running exchanges and open streams. */
  @Override
  public void close() {
    closed = true;
    running.forEach(f -> f.cancel(true));
    streams.forEach(ResponseStream::close0);
  }
}
