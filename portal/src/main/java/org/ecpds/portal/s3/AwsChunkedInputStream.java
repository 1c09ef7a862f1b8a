package org.ecpds.portal.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes S3's aws-chunked body: {@code <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n}, ending with a
 * zero-size chunk, optional trailer lines ({@code x-amz-checksum-crc32:...}) and an empty line. With
 * signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) each chunk's signature chains on the previous one
 * from the request's seed signature and is checked when the chunk ends, so a body altered in transit
 * fails before the upload is committed.
 */
final class AwsChunkedInputStream extends InputStream {
  private static final int MAX_LINE = 4096;
  private static final long MAX_CHUNK = 64L * 1024 * 1024;

  private final InputStream in;
  private final SignedRequest signed;
  private final boolean signedChunks;
  private final boolean signedTrailer;
  private final Map<String, String> trailers = new LinkedHashMap<>();
  private String previousSignature;
  private MessageDigest chunkDigest;
  private String chunkSignature;
  private long remaining;
  private boolean finished;

  AwsChunkedInputStream(InputStream in, SignedRequest signed, boolean signedChunks, boolean signedTrailer) {
    this.in = in;
    this.signed = signed;
    this.signedChunks = signedChunks;
    this.signedTrailer = signedTrailer;
    this.previousSignature = signed.seedSignature();
  }

  /** The trailer lines, once the body was read to its end. */
  Map<String, String> trailers() {
    return trailers;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    while (remaining == 0) {
      if (finished) return -1;
      nextChunk();
    }
    int n = in.read(b, off, (int) Math.min(len, remaining));
    if (n < 0) throw bad("the body ended inside a chunk");
    if (chunkDigest != null) chunkDigest.update(b, off, n);
    remaining -= n;
    if (remaining == 0) endChunk();
    return n;
  }

  private void nextChunk() throws IOException {
    String header = readLine();
    int semi = header.indexOf(';');
    String sizeText = (semi < 0 ? header : header.substring(0, semi)).trim();
    long size;
    try {
      size = Long.parseLong(sizeText, 16);
    } catch (NumberFormatException e) {
      throw bad("bad chunk size");
    }
    if (size < 0 || size > MAX_CHUNK) throw bad("chunk size out of range");
    chunkSignature = null;
    if (signedChunks) {
      String ext = semi < 0 ? "" : header.substring(semi + 1).trim();
      if (!ext.startsWith("chunk-signature=")) throw bad("a chunk has no chunk-signature");
      chunkSignature = ext.substring("chunk-signature=".length());
      chunkDigest = SigV4.sha256();
    }
    remaining = size;
    if (size == 0) {
      verifyChunkSignature();
      readTrailers();
      finished = true;
    }
  }

  private void endChunk() throws IOException {
    if (!readLine().isEmpty()) throw bad("a chunk is longer than its size");
    verifyChunkSignature();
  }

  private void verifyChunkSignature() throws S3IOException {
    if (!signedChunks) return;
    String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + signed.amzDate() + "\n" + signed.scope() + "\n"
        + previousSignature + "\n" + SigV4.EMPTY_SHA256 + "\n" + SigV4.hex(chunkDigest.digest());
    String expected = SigV4.signature(signed.signingKey(), stringToSign);
    if (!SigV4.sameSignature(expected, chunkSignature)) throw new S3IOException(S3Exception.signatureMismatch());
    previousSignature = expected;
  }

  private void readTrailers() throws IOException {
    StringBuilder canonical = new StringBuilder();
    String trailerSignature = null;
    for (int i = 0; i < 64; i++) {
      String line = readLineOrEnd();
      if (line == null || line.isEmpty()) break;
      int colon = line.indexOf(':');
      if (colon <= 0) throw bad("bad trailer line");
      String name = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      if (name.equals("x-amz-trailer-signature")) {
        trailerSignature = value;
      } else {
        trailers.put(name, value);
        canonical.append(name).append(':').append(value).append('\n');
      }
    }
    if (signedTrailer) {
      if (trailerSignature == null) throw bad("the trailer is not signed");
      String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + signed.amzDate() + "\n" + signed.scope() + "\n"
          + previousSignature + "\n" + SigV4.sha256Hex(canonical.toString());
      if (!SigV4.sameSignature(SigV4.signature(signed.signingKey(), stringToSign), trailerSignature)) {
        throw new S3IOException(S3Exception.signatureMismatch());
      }
    }
  }

  private String readLine() throws IOException {
    String line = readLineOrEnd();
    if (line == null) throw bad("the body ended early");
    return line;
  }

  /** A CRLF-terminated line (a bare LF is tolerated); null at the end of the body. */
  private String readLineOrEnd() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(80);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') break;
      if (buf.size() >= MAX_LINE) throw bad("chunk header too long");
      buf.write(c);
    }
    if (c < 0 && buf.size() == 0) return null;
    String s = buf.toString(StandardCharsets.US_ASCII);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static S3IOException bad(String message) {
    return new S3IOException(new S3Exception(400, "IncompleteBody", "aws-chunked body: " + message));
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
