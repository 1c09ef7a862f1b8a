package org.ecpds.portal.s3;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * An S3 object's metadata as the data file's metadata, so that it is kept by the master, visible from
 * every mover, in REST and usable in alias conditions and templates like a push's metadata:
 * {@code x-amz-meta-NAME: v} is {@code NAME=v}, and the content headers a client set on the upload
 * (Content-Type, Content-Encoding, ...) are {@code http.content-type=...}. A pushed file's metadata comes
 * back as x-amz-meta-* in the same way. {@code x-amz-meta-mtime} (rclone's modification time) is not
 * kept: the portal keeps the file's modification time itself.
 */
final class ObjectMetadata {
  private ObjectMetadata() {}

  static final String USER_PREFIX = "x-amz-meta-";
  static final String HTTP_PREFIX = "http.";
  /** S3's limit: the UTF-8 bytes of every user metadata key and value together. */
  static final int MAX_USER_BYTES = 2048;

  /** The content headers an object keeps (S3 returns them on GET and HEAD). */
  private static final String[] CONTENT_HEADERS = {"Content-Type", "Content-Encoding", "Content-Disposition",
      "Content-Language", "Cache-Control", "Expires"};

  /** The metadata a PUT, a CopyObject with REPLACE or a CreateMultipartUpload gives its object. */
  static Map<String, String> fromRequest(HttpFields headers) throws S3Exception {
    Map<String, String> out = new TreeMap<>();
    int userBytes = 0;
    for (HttpField f : headers) {
      String name = f.getName().toLowerCase(Locale.ROOT);
      if (!name.startsWith(USER_PREFIX) || name.length() == USER_PREFIX.length()) continue;
      String key = name.substring(USER_PREFIX.length());
      if (key.equals("mtime")) continue;
      String value = f.getValue() == null ? "" : WireText.fromWire(f.getValue());
      userBytes += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
      out.merge(key, value, (a, b) -> a + "," + b);
    }
    if (userBytes > MAX_USER_BYTES) {
      throw new S3Exception(400, "MetadataTooLarge",
          "Your metadata headers exceed the maximum allowed metadata size (" + MAX_USER_BYTES + " bytes)");
    }
    for (String header : CONTENT_HEADERS) {
      String value = headers.get(header);
      if (header.equals("Content-Encoding")) value = withoutAwsChunked(value);
      if (value != null && !value.isBlank()) out.put(HTTP_PREFIX + header.toLowerCase(Locale.ROOT), WireText.fromWire(value));
    }
    return out;
  }

  /** The reply headers of an object's metadata; values a header cannot carry are counted in x-amz-missing-meta. */
  static Map<String, String> toHeaders(Map<String, String> metadata) {
    Map<String, String> out = new LinkedHashMap<>();
    int missing = 0;
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String key = e.getKey();
      String name = key.startsWith(HTTP_PREFIX) ? contentHeader(key.substring(HTTP_PREFIX.length())) : USER_PREFIX + key;
      if (name == null || !isToken(name) || !isFieldValue(e.getValue())) {
        missing++;
        continue;
      }
      out.put(name, WireText.toWire(e.getValue()));
    }
    if (missing > 0) out.put("x-amz-missing-meta", Integer.toString(missing));
    return out;
  }

  private static String contentHeader(String lowerName) {
    for (String h : CONTENT_HEADERS) if (h.toLowerCase(Locale.ROOT).equals(lowerName)) return h;
    return null;
  }

  /** aws-chunked describes the request's framing, not the object: S3 drops it from the stored encoding. */
  private static String withoutAwsChunked(String value) {
    if (value == null || !value.toLowerCase(Locale.ROOT).contains("aws-chunked")) return value;
    StringBuilder sb = new StringBuilder();
    for (String part : value.split(",")) {
      String p = part.trim();
      if (p.isEmpty() || p.equalsIgnoreCase("aws-chunked")) continue;
      if (sb.length() > 0) sb.append(", ");
      sb.append(p);
    }
    return sb.toString();
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
      if (!ok) return false;
    }
    return !s.isEmpty();
  }

  private static boolean isFieldValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
    }
    return true;
  }
}
