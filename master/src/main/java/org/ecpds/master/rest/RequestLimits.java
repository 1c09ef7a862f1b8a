package org.ecpds.master.rest;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The REST port's limits on the URI (414) and the headers (431), enforced here rather than by
 * Jetty's parser. Jetty answers a request over its parse limit as soon as it sees the excess and
 * closes the connection while the client is still sending; the client's write then fails and it
 * never reads the answer (curl: "failed sending data"). Jetty is given a much larger parse limit
 * ({@link #PARSE_LIMIT}) so that it reads such a request whole, and this handler answers it with
 * the documented JSON error on a connection the client can still read from.
 */
final class RequestLimits extends Handler.Wrapper {
  static final int MAX_URI = 8 * 1024;
  static final int MAX_HEADERS = 16 * 1024;
  /** Beyond this Jetty itself refuses (and closes): only a request this large can lose its answer. */
  static final int PARSE_LIMIT = 512 * 1024;

  RequestLimits(Handler next) {
    super(next);
  }

  static void configure(HttpConfiguration http) {
    http.setRequestHeaderSize(PARSE_LIMIT);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    int code = uriLength(request) > MAX_URI ? 414 : headerBytes(request) > MAX_HEADERS ? 431 : 0;
    if (code == 0) return super.handle(request, response, callback);
    response.setStatus(code);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(JsonErrorHandler.body(code)), callback);
    return true;
  }

  private static int uriLength(Request request) {
    String pathQuery = request.getHttpURI().getPathQuery();
    return pathQuery == null ? 0 : pathQuery.length();
  }

  /** As sent: "Name: value\r\n" for each field. */
  private static int headerBytes(Request request) {
    int total = 0;
    for (HttpField f : request.getHeaders()) total += f.getName().length() + 2 + (f.getValue() == null ? 0 : f.getValue().length()) + 2;
    return total;
  }
}
