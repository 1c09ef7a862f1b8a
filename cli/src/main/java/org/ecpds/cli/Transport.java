package org.ecpds.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One HTTPS peer (the master or a mover): sends requests and turns transport failures into one-line
 * messages. Connection-phase failures (refused, unknown host, timeout, TLS) exit with
 * {@link ExitCodes#CONNECT}; a connection lost after it was established exits with {@link ExitCodes#REFUSED}.
 *
 * <p>Built on HttpsURLConnection rather than java.net.http: the latter's selector thread sits in
 * native code, and the JVM then waits ~300 ms at exit, a third of a small push.
 */
final class Transport {
  private static final int COPY_BUFFER = 1 << 20;
  private final String peer;
  private final String untrustedHint;
  // one factory per peer: the JDK reuses a kept-alive connection only for the same factory instance
  private final javax.net.ssl.SSLSocketFactory sockets;
  private final Duration connectTimeout;
  private final boolean lostAnswerIsUnknown;

  /** A request body: the bytes to stream and their length (-1 = unknown, sent chunked). */
  interface Body {
    long length();

    InputStream open() throws CliException;

    static Body of(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      return new Body() {
        @Override
        public long length() {
          return bytes.length;
        }

        @Override
        public InputStream open() {
          return new java.io.ByteArrayInputStream(bytes);
        }
      };
    }
  }

  /**
   * @param peer how messages name the peer, e.g. "master at host:2640"
   * @param untrustedHint what to tell the user when the peer's certificate is not trusted
   */
  Transport(String peer, String untrustedHint, SSLContext trust, Duration connectTimeout) {
    this(peer, untrustedHint, trust, connectTimeout, false);
  }

  /**
   * @param lostAnswerIsUnknown whether a connection that breaks after the whole body went out means "the peer may
   *     have acted on it" (exit 4: an upload the mover may have stored) rather than a failure (a registration that
   *     stores nothing by itself)
   */
  Transport(String peer, String untrustedHint, SSLContext trust, Duration connectTimeout,
      boolean lostAnswerIsUnknown) {
    this.peer = peer;
    this.untrustedHint = untrustedHint;
    this.sockets = trust.getSocketFactory();
    this.connectTimeout = connectTimeout;
    this.lostAnswerIsUnknown = lostAnswerIsUnknown;
  }

  String peer() {
    return peer;
  }

  /**
   * @param readTimeout how long the peer may stay silent (null = forever, for replies that come
   *     only once a huge upload is stored)
   */
  Reply send(String method, URI uri, Map<String, String> headers, Body body, Duration readTimeout)
      throws CliException {
    HttpsURLConnection c;
    try {
      c = (HttpsURLConnection) uri.toURL().openConnection();
    } catch (IOException | ClassCastException e) {
      throw connect("not an https URL: " + uri, e);
    }
    c.setSSLSocketFactory(sockets);
    c.setInstanceFollowRedirects(false);
    c.setUseCaches(false);
    c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    c.setReadTimeout(readTimeout == null ? 0 : (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis()));
    try {
      c.setRequestMethod(method);
    } catch (java.net.ProtocolException e) {
      throw new IllegalArgumentException(e);
    }
    headers.forEach(c::setRequestProperty);
    if (body != null) {
      c.setDoOutput(true);
      if (body.length() >= 0) c.setFixedLengthStreamingMode(body.length());
      else c.setChunkedStreamingMode(COPY_BUFFER);
    }
    try {
      c.connect();
    } catch (IOException e) {
      throw failure(e);
    }
    boolean bodySent = false;
    try {
      if (body != null) {
        try (InputStream in = body.open(); OutputStream out = c.getOutputStream()) {
          in.transferTo(out);
        }
        bodySent = true;
      }
      int status = c.getResponseCode();
      InputStream replyStream = status >= 400 ? c.getErrorStream() : c.getInputStream();
      return new Reply(status, replyStream == null ? "" : read(replyStream));
    } catch (IOException e) {
      // a refusal sent before the whole body went out still carries the server's answer
      try {
        int status = c.getResponseCode();
        InputStream err = c.getErrorStream();
        if (status > 0) return new Reply(status, err == null ? "" : read(err));
      } catch (IOException ignored) {
        // no answer at all
      }
      throw bodySent && lostAnswerIsUnknown ? answerLost(e) : lost(e);
    }
  }

  /** The peer had the whole body and may have acted on it: neither a refusal nor a success. */
  private CliException answerLost(IOException e) {
    return new CliException(ExitCodes.UNKNOWN, "the connection to " + peer + " broke after the whole body was sent, "
        + "before its answer (" + message(e) + ")", e);
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** A failure while connecting (refused, unknown host, timeout, TLS). */
  CliException failure(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return connect("connection timed out after " + connectTimeout.toSeconds() + "s", e);
    }
    if (has(e, UnknownHostException.class)) return connect("unknown host", e);
    if (has(e, NoRouteToHostException.class)) return connect("no route to host", e);
    if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)) {
      return new CliException(ExitCodes.CONNECT, "untrusted TLS certificate from " + peer + "; " + untrustedHint, e);
    }
    Throwable mismatch = find(e, CertificateException.class);
    if (mismatch != null && String.valueOf(mismatch.getMessage()).startsWith("No ")) {
      return new CliException(ExitCodes.CONNECT, "the TLS certificate of " + peer + " does not match the host name ("
          + mismatch.getMessage() + ")", e);
    }
    if (e instanceof java.io.IOException && String.valueOf(e.getMessage()).startsWith("No subject alternative")) {
      return new CliException(ExitCodes.CONNECT, "the TLS certificate of " + peer + " does not match the host name ("
          + e.getMessage() + ")", e);
    }
    if (has(e, SSLException.class)) return connect("TLS handshake failed: " + message(find(e, SSLException.class)), e);
    if (e instanceof ConnectException || has(e, ConnectException.class)) return connect("connection refused", e);
    return connect(message(e), e);
  }

  /** A failure after the connection was established. */
  private CliException lost(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return new CliException(ExitCodes.REFUSED, peer + " did not answer in time", e);
    }
    return new CliException(ExitCodes.REFUSED, "connection to " + peer + " failed: " + message(e), e);
  }

  private CliException connect(String reason, Throwable cause) {
    return CliException.connect("cannot reach " + peer + ": " + reason, cause);
  }

  private static String message(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    return find(t, type) != null;
  }

  private static Throwable find(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) return c;
    }
    return null;
  }
}
