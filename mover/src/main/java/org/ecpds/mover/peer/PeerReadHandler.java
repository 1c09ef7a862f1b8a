package org.ecpds.mover.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.mover.store.DataStore;

/**
 * {@code GET /data/{id}}: another mover reads content this mover holds, so that a portal user can reach
 * any mover whatever mover holds the file. Authenticated by a peer-read token the reading mover signs
 * with the cluster secret (bound to the data file and short-lived); a single byte range is honoured.
 * Answers nothing else (returns false so the next handler takes the request).
 */
public final class PeerReadHandler extends Handler.Abstract {
  static final String PREFIX = "/data/";
  private static final Pattern PATH = Pattern.compile("/data/(\\d{1,18})");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,19})-(\\d{0,19})");

  private final DataStore store;
  private final UploadTokens tokens;

  public PeerReadHandler(DataStore store, UploadTokens peerTokens) {
    this.store = store;
    this.tokens = peerTokens;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX)) return false;
    Matcher m = PATH.matcher(path);
    if (!m.matches()) return error(response, callback, HttpStatus.NOT_FOUND_404, "no such resource");
    if (!request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      return error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use GET");
    }
    long id = Long.parseLong(m.group(1));
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    if (!tokens.verify(id, token, System.currentTimeMillis())) {
      return error(response, callback, HttpStatus.UNAUTHORIZED_401, "invalid or expired peer-read token");
    }
    Optional<Path> file = store.locate(id);
    if (file.isEmpty()) return error(response, callback, HttpStatus.NOT_FOUND_404, "data file " + id + " is not held here");
    long size = Files.size(file.get());
    long start = 0;
    long end = size - 1;
    String range = request.getHeaders().get(HttpHeader.RANGE);
    if (range != null) {
      Matcher r = RANGE.matcher(range.trim());
      if (!r.matches()) return error(response, callback, HttpStatus.RANGE_NOT_SATISFIABLE_416, "only one byte range");
      start = Long.parseLong(r.group(1));
      if (!r.group(2).isEmpty()) end = Math.min(end, Long.parseLong(r.group(2)));
      if (start >= size || end < start) {
        response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
        return error(response, callback, HttpStatus.RANGE_NOT_SATISFIABLE_416, "range outside the file");
      }
      response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
      response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
    } else {
      response.setStatus(HttpStatus.OK_200);
    }
    long length = end - start + 1;
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
    ByteBufferPool.Sized buffers = new ByteBufferPool.Sized(request.getComponents().getByteBufferPool(), true, 256 * 1024);
    Content.copy(Content.Source.from(buffers, file.get(), start, length), response, callback);
    return true;
  }

  private static boolean error(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    Content.Sink.write(response, true, message + "\n", callback);
    return true;
  }
}
