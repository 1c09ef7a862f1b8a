package org.ecpds.portal.s3;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Non-ASCII header values: the bytes reach us as ISO-8859-1 characters (Jetty's reading), while S3 clients
 * send UTF-8 there and sign the UTF-8 text. A value whose bytes are valid UTF-8 is read as UTF-8, so that
 * signatures (see {@link SigV4Verifier}) and stored metadata see the text the client meant; other bytes
 * stay ISO-8859-1 characters (clients that send Latin-1 sign the same characters).
 */
final class WireText {
  private WireText() {}

  static String fromWire(String latin1) {
    if (latin1.chars().allMatch(c -> c < 0x80)) return latin1;
    byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return latin1;
    }
  }

  /** The header string whose ISO-8859-1 bytes are the UTF-8 of the value (what {@link #fromWire} reads back). */
  static String toWire(String value) {
    if (value.chars().allMatch(c -> c < 0x80)) return value;
    return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
