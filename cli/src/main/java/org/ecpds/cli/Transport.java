package org.ecpds.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * One HTTPS peer (the master or a mover): sends requests and turns transport failures into one-line
 * messages. Connection-phase failures (refused, unknown host, timeout, TLS) exit with
 * {@link ExitCodes#CONNECT}; a connection lost after it was established exits with {@link ExitCodes#REFUSED}.
 */
final class Transport {
  private final String peer;
  private final String untrustedHint;
  private final HttpClient http;
  private final Duration connectTimeout;

  /**
   * @param peer how messages name the peer, e.g. "master at host:2640"
   * @param untrustedHint what to tell the user when the peer's certificate is not trusted
   */
  Transport(String peer, String untrustedHint, SSLContext trust, Duration connectTimeout) {
    this.peer = peer;
    this.untrustedHint = untrustedHint;
    this.connectTimeout = connectTimeout;
    // HTTP/1.1: both servers speak only that, and it avoids an HTTP/2 upgrade attempt per call
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust)
        .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  String peer() {
    return peer;
  }

  HttpResponse<String> send(HttpRequest request) throws CliException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw failure(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.REFUSED, "interrupted while talking to " + peer, e);
    }
  }

  CliException failure(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return connect("connection timed out after " + connectTimeout.toSeconds() + "s", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new CliException(ExitCodes.REFUSED, peer + " did not answer in time", e);
    }
    if (has(e, UnknownHostException.class) || has(e, UnresolvedAddressException.class)) {
      return connect("unknown host", e);
    }
    if (has(e, NoRouteToHostException.class)) return connect("no route to host", e);
    if (has(e, CertPathBuilderException.class) || has(e, CertPathValidatorException.class)) {
      return new CliException(ExitCodes.CONNECT, "untrusted TLS certificate from " + peer + "; " + untrustedHint, e);
    }
    Throwable mismatch = find(e, CertificateException.class);
    if (mismatch != null && String.valueOf(mismatch.getMessage()).startsWith("No ")) {
      return new CliException(ExitCodes.CONNECT, "the TLS certificate of " + peer + " does not match the host name ("
          + mismatch.getMessage() + ")", e);
    }
    if (has(e, SSLException.class)) return connect("TLS handshake failed: " + message(find(e, SSLException.class)), e);
    if (e instanceof ConnectException || has(e, ConnectException.class)) return connect("connection refused", e);
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
