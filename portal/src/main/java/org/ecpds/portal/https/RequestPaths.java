package org.ecpds.portal.https;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;

/**
 * URL paths to portal paths and back. Each segment is percent-decoded on its own; a segment that
 * decodes to something containing '/' or '\', or to "." / ".." (an encoded dot segment), is refused,
 * as is invalid UTF-8. What remains goes through {@link FsPath#parse}, the one place that decides
 * what can be addressed.
 */
public final class RequestPaths {
  private RequestPaths() {}

  /** The portal path for an encoded URL path (as sent on the request line). */
  public static FsPath fromUrlPath(String rawPath) throws HttpReply, FsException {
    if (rawPath == null || !rawPath.startsWith("/")) throw new HttpReply(400, "the path must be absolute");
    StringBuilder out = new StringBuilder();
    for (String segment : rawPath.split("/", -1)) {
      if (segment.isEmpty()) continue;
      String decoded = decode(segment);
      boolean encoded = !decoded.equals(segment);
      if (decoded.indexOf('/') >= 0 || decoded.indexOf('\\') >= 0 || decoded.indexOf('\0') >= 0
          || (encoded && (decoded.equals(".") || decoded.equals("..")))) {
        throw new HttpReply(400, "an encoded separator or dot segment is not allowed in a path");
      }
      out.append('/').append(decoded);
    }
    return FsPath.parse(out.length() == 0 ? "/" : out.toString());
  }

  /** The portal path named by a Destination header or an If header tag: an absolute URI or an absolute path. */
  public static FsPath fromUri(String uri) throws HttpReply, FsException {
    String raw;
    try {
      URI u = new URI(uri.trim());
      raw = u.getRawPath();
    } catch (URISyntaxException e) {
      throw new HttpReply(400, "not a URI: " + e.getReason());
    }
    return fromUrlPath(raw);
  }

  static String decode(String segment) throws HttpReply {
    if (segment.indexOf('%') < 0) return segment;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length()) throw new HttpReply(400, "bad percent-encoding in the path");
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) throw new HttpReply(400, "bad percent-encoding in the path");
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new HttpReply(400, "the path is not UTF-8");
    }
  }

  /** The encoded URL path of a portal path; collections end with '/'. */
  public static String href(FsPath path, boolean collection) {
    StringBuilder out = new StringBuilder();
    for (String s : path.segments()) out.append('/').append(encodeSegment(s));
    if (collection || out.length() == 0) out.append('/');
    return out.toString();
  }

  public static String encodeSegment(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$'()*+,;=:@".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }
}
