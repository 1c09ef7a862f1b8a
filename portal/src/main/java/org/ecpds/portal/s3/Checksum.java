package org.ecpds.portal.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** An S3 additional checksum (x-amz-checksum-crc32, -crc32c, -sha1, -sha256), base64 of the big-endian value. */
final class Checksum {
  private final String header;
  private final java.util.zip.Checksum crc;
  private final MessageDigest digest;

  private Checksum(String header, java.util.zip.Checksum crc, MessageDigest digest) {
    this.header = header;
    this.crc = crc;
    this.digest = digest;
  }

  /** The checksum named by a header such as x-amz-checksum-crc32; null for one this server cannot compute. */
  static Checksum forHeader(String header) {
    String h = header.toLowerCase(Locale.ROOT);
    try {
      return switch (h) {
        case "x-amz-checksum-crc32" -> new Checksum(h, new CRC32(), null);
        case "x-amz-checksum-crc32c" -> new Checksum(h, new CRC32C(), null);
        case "x-amz-checksum-sha1" -> new Checksum(h, null, MessageDigest.getInstance("SHA-1"));
        case "x-amz-checksum-sha256" -> new Checksum(h, null, MessageDigest.getInstance("SHA-256"));
        default -> null;
      };
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  String header() {
    return header;
  }

  void update(byte[] b, int off, int len) {
    if (crc != null) crc.update(b, off, len);
    else digest.update(b, off, len);
  }

  String base64() {
    byte[] value = crc != null ? ByteBuffer.allocate(4).putInt((int) crc.getValue()).array() : digest.digest();
    return Base64.getEncoder().encodeToString(value);
  }
}
