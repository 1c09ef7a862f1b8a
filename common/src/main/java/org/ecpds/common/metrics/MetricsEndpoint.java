package org.ecpds.common.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /metrics} in the Prometheus text format on a listener that already serves something
 * else (the master's REST port, a mover's upload port), for a scraper that sends
 * {@code Authorization: Bearer <token>}; every other request goes to the wrapped handler.
 */
public final class MetricsEndpoint extends Handler.Wrapper {
  public static final String PATH = "/metrics";
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  private final PrometheusMeterRegistry registry;
  private final byte[] token;

  public MetricsEndpoint(Handler next, PrometheusMeterRegistry registry, String token) {
    super(next);
    if (token == null || token.length() < 16) throw new IllegalArgumentException("a metrics token has at least 16 characters");
    this.registry = registry;
    this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!PATH.equals(Request.getPathInContext(request))) return super.handle(request, response, callback);
    if (!"GET".equals(request.getMethod())) {
      return answer(response, callback, 405, "text/plain; charset=utf-8", "GET only\n");
    }
    String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    // constant time: the comparison does not tell how much of a guessed token was right
    if (auth == null || !MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"ecpds metrics\"");
      return answer(response, callback, 401, "text/plain; charset=utf-8", "a metrics bearer token is required\n");
    }
    return answer(response, callback, 200, TEXT, registry.scrape());
  }

  private static boolean answer(Response response, Callback callback, int status, String type, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
