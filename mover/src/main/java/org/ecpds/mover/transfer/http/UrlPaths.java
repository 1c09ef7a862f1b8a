package org.ecpds.mover.transfer.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Remote paths to URL paths and back: UTF-8 percent-encoding per segment ("a b/é" -> "a%20b/%C3%A9"). */
public final class UrlPaths {
  private UrlPaths() {}

  /** Joins the base path and a remote path; an absolute remote path starts from the server root. */
  public static String resolve(String basePath, String remote) {
    String p = remote.replace('\\', '/');
    String joined = p.startsWith("/") ? p : basePath + "/" + p;
    joined = joined.replaceAll("/{2,}", "/");
    return joined.startsWith("/") ? joined : "/" + joined;
  }

  /** Percent-encodes every segment of a decoded path, keeping the slashes. */
  public static String encodePath(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 16);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '/' || isUnreserved(c)) {
        sb.append((char) c);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~';
  }

  /** Decodes %XX escapes as UTF-8 (a '+' stays a '+': this is a path, not a form). */
  public static String decode(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()
          && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
        out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public static String parent(String path) {
    String p = stripSlash(path);
    int i = p.lastIndexOf('/');
    return i <= 0 ? "/" : p.substring(0, i);
  }

  public static String name(String path) {
    String p = stripSlash(path);
    return p.substring(p.lastIndexOf('/') + 1);
  }

  public static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
