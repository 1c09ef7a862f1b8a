package org.ecpds.mover.transfer.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/** Maps HTTP statuses and java.net.http failures to {@link ErrorKind}s, keeping the server's words. */
public final class HttpErrors {
  private static final int EXCERPT = 300;
  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(407, "Proxy Authentication Required"),
      Map.entry(408, "Request Timeout"), Map.entry(409, "Conflict"), Map.entry(410, "Gone"),
      Map.entry(411, "Length Required"), Map.entry(412, "Precondition Failed"), Map.entry(413, "Payload Too Large"),
      Map.entry(414, "URI Too Long"), Map.entry(415, "Unsupported Media Type"), Map.entry(416, "Range Not Satisfiable"),
      Map.entry(423, "Locked"), Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
      Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
      Map.entry(504, "Gateway Timeout"), Map.entry(507, "Insufficient Storage"), Map.entry(301, "Moved Permanently"),
      Map.entry(302, "Found"), Map.entry(303, "See Other"), Map.entry(307, "Temporary Redirect"),
      Map.entry(308, "Permanent Redirect"));

  private HttpErrors() {}

  public static ErrorKind statusKind(int status) {
    return switch (status) {
      case 401, 407 -> ErrorKind.AUTHENTICATION;
      case 403 -> ErrorKind.PERMISSION;
      case 404, 410 -> ErrorKind.NOT_FOUND;
      // overloaded or a gateway that lost its upstream: worth retrying later
      case 408, 429, 502, 503, 504 -> ErrorKind.NETWORK;
      default -> ErrorKind.PROTOCOL;
    };
  }

  /** "HTTP 404 Not Found" — java.net.http does not expose the reason phrase, so use the standard one. */
  public static String statusLine(int status) {
    return "HTTP " + status + " " + REASONS.getOrDefault(status, "");
  }

  /** A failed exchange: the status line plus the start of the body (servers explain themselves there). */
  public static TransferException status(String what, int status, byte[] body) {
    String excerpt = excerpt(body);
    return new TransferException(statusKind(status),
        what + ": " + statusLine(status).trim() + (excerpt.isEmpty() ? "" : ": " + excerpt));
  }

  static String excerpt(byte[] body) {
    if (body == null || body.length == 0) return "";
    String s = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8)
        .replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ")
        .replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").trim();
    return s.length() > EXCERPT ? s.substring(0, EXCERPT) + "..." : s;
  }

  public static TransferException classify(String what, Throwable t) {
    if (t instanceof TransferException te) return te;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TransferException te) return new TransferException(te.kind(), what + ": " + te.getMessage(), t);
    }
    return new TransferException(kindOf(t), what + ": " + describe(t), t);
  }

  static ErrorKind kindOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof GeneralSecurityException) return ErrorKind.AUTHENTICATION; // untrusted certificate, wrong name
      if (c instanceof InterruptedException) return ErrorKind.CANCELLED;
      if (c instanceof IllegalArgumentException) return ErrorKind.PROTOCOL; // a malformed URL or header
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof HttpTimeoutException || c instanceof EOFException) return ErrorKind.NETWORK;
      if (c instanceof SSLException) {
        String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
        boolean dropped = m.contains("terminated") || m.contains("closed") || m.contains("reset") || m.contains("eof");
        if (!dropped && c.getCause() == null) return ErrorKind.PROTOCOL; // e.g. no common cipher or version
      }
    }
    // everything else java.net.http reports is an I/O failure of the connection (refused, reset,
    // broken pipe, "header parser received no bytes", closed): retryable
    return t instanceof IOException || t.getCause() instanceof IOException ? ErrorKind.NETWORK : ErrorKind.PROTOCOL;
  }

  static String describe(Throwable t) {
    if (t instanceof HttpTimeoutException && !(t instanceof java.net.http.HttpConnectTimeoutException)) {
      return "no reply within the idle timeout (" + t.getMessage() + ")";
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (root != t) {
      String r = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
      if (!msg.contains(r)) msg += " (" + r + ")";
    }
    return msg;
  }
}
