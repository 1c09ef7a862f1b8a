package org.ecpds.portal.https;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.PortalFs;

/**
 * One authenticated request: the Jetty request and response, the user's portal file system and the
 * portal path the URL names. Writes block the handler thread (Jetty's core API with a blocking
 * callback), which keeps method code straight-line; the body is never held in memory except for
 * small XML bodies, which are capped.
 */
public final class HttpExchange {
  /** The largest XML request body (PROPFIND, PROPPATCH, LOCK) accepted. */
  public static final int MAX_XML_BODY = 1 << 20;

  private final Request request;
  private final Response response;
  private final PortalFs fs;
  private final FsPath path;

  HttpExchange(Request request, Response response, PortalFs fs, FsPath path) {
    this.request = request;
    this.response = response;
    this.fs = fs;
    this.path = path;
  }

  public Request request() {
    return request;
  }

  public Response response() {
    return response;
  }

  public PortalFs fs() {
    return fs;
  }

  public FsPath path() {
    return path;
  }

  public String method() {
    return request.getMethod();
  }

  public HttpFields headers() {
    return request.getHeaders();
  }

  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Whether the client sent a body (a length above 0 or a chunked one). */
  public boolean hasBody() {
    long length = request.getLength();
    return length > 0 || (length < 0 && request.getHeaders().contains("Transfer-Encoding"));
  }

  public InputStream body() {
    return Request.asInputStream(request);
  }

  /** The whole (small) body; 413 above {@code max} bytes. */
  public byte[] smallBody(int max) throws HttpReply, IOException {
    if (request.getLength() > max) throw tooLarge(max);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = body()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        if (out.size() > max) throw tooLarge(max);
      }
    }
    return out.toByteArray();
  }

  private HttpReply tooLarge(int max) {
    String message = request.getMethod() + " body larger than " + max + " bytes on " + path;
    fs.refused(message);
    return new HttpReply(413, message);
  }

  public void setHeader(String name, String value) {
    response.getHeaders().put(name, value);
  }

  /** A complete reply with a body (none for HEAD). */
  public void send(int status, String contentType, byte[] body) throws IOException {
    response.setStatus(status);
    if (contentType != null) response.getHeaders().put("Content-Type", contentType);
    response.getHeaders().put("Content-Length", String.valueOf(body.length));
    write(method().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), true);
  }

  public void send(int status, String contentType, String body) throws IOException {
    send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public void sendEmpty(int status) throws IOException {
    response.setStatus(status);
    if (status != 204 && status != 304) response.getHeaders().put("Content-Length", "0");
    write(ByteBuffer.allocate(0), true);
  }

  /** Writes and waits until Jetty has taken the buffer (it may be reused afterwards). */
  public void write(ByteBuffer buffer, boolean last) throws IOException {
    try (Blocker.Callback callback = Blocker.callback()) {
      response.write(last, buffer, callback);
      callback.block();
    }
  }
}
