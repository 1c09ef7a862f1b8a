package org.ecpds.portal.s3;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A request body as the client meant it (aws-chunked decoded), checked against everything the client
 * declared: the signed SHA-256, Content-MD5, an x-amz-checksum-* header or trailer, the decoded length.
 * The checks run when the body ends and fail the read, so an upload that does not match is never
 * committed. The MD5 of the content is kept: S3 clients expect it as the ETag of what they put.
 */
final class PayloadStream extends FilterInputStream {
  static final String UNSIGNED = "UNSIGNED-PAYLOAD";
  static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
  static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
  static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

  private final MessageDigest md5 = md5();
  private final MessageDigest sha256;
  private final String expectedSha256;
  private final String expectedMd5;
  private final long expectedLength;
  private final long maxLength;
  private final AwsChunkedInputStream chunked;
  private final String trailerChecksum;
  private final String headerChecksumValue;
  private Checksum checksum;
  private long length;
  private boolean verified;
  private String md5Hex;

  private PayloadStream(InputStream in, AwsChunkedInputStream chunked, String expectedSha256, String expectedMd5,
      long expectedLength, long maxLength, Checksum checksum, String headerChecksumValue, String trailerChecksum) {
    super(in);
    this.chunked = chunked;
    this.expectedSha256 = expectedSha256;
    this.sha256 = expectedSha256 == null ? null : SigV4.sha256();
    this.expectedMd5 = expectedMd5;
    this.expectedLength = expectedLength;
    this.maxLength = maxLength;
    this.checksum = checksum;
    this.headerChecksumValue = headerChecksumValue;
    this.trailerChecksum = trailerChecksum;
  }

  /**
   * @param maxLength larger bodies are refused with EntityTooLarge (before reading when the length is declared)
   */
  static PayloadStream open(RequestView request, SignedRequest signed, InputStream body, long maxLength) throws S3Exception {
    String mode = signed.payloadHash();
    boolean streaming = mode.startsWith("STREAMING-");
    long declared = parseLength(request.header(streaming ? "x-amz-decoded-content-length" : "Content-Length"));
    if (declared > maxLength) throw entityTooLarge(maxLength);
    InputStream in = new BufferedInputStream(body, 64 * 1024);
    AwsChunkedInputStream chunked = null;
    String expectedSha256 = null;
    switch (mode) {
      case UNSIGNED -> { }
      case STREAMING_SIGNED -> chunked = new AwsChunkedInputStream(in, signed, true, false);
      case STREAMING_SIGNED_TRAILER -> chunked = new AwsChunkedInputStream(in, signed, true, true);
      case STREAMING_UNSIGNED_TRAILER -> chunked = new AwsChunkedInputStream(in, signed, false, false);
      default -> {
        if (!mode.matches("[0-9a-fA-F]{64}")) {
          if (streaming) throw S3Exception.notImplemented("payload mode " + mode);
          throw S3Exception.invalidArgument("x-amz-content-sha256 must be a SHA-256 hex digest or a payload mode");
        }
        expectedSha256 = mode.toLowerCase(java.util.Locale.ROOT);
      }
    }
    Checksum checksum = null;
    String headerValue = null;
    String trailer = null;
    String trailerNames = request.header("x-amz-trailer");
    if (trailerNames != null && chunked != null) {
      trailer = trailerNames.trim().toLowerCase(java.util.Locale.ROOT);
      checksum = Checksum.forHeader(trailer);
    } else {
      for (String h : new String[] {"x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-sha1", "x-amz-checksum-sha256"}) {
        if (request.header(h) != null) {
          checksum = Checksum.forHeader(h);
          headerValue = request.header(h).trim();
          break;
        }
      }
    }
    return new PayloadStream(chunked != null ? chunked : in, chunked, expectedSha256, request.header("Content-MD5"),
        declared, maxLength, checksum, headerValue, trailer);
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
    int n = in.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    length += n;
    if (length > maxLength) throw new S3IOException(entityTooLarge(maxLength));
    if (expectedLength >= 0 && length > expectedLength) throw new S3IOException(incomplete("the body is longer than declared"));
    md5.update(b, off, n);
    if (sha256 != null) sha256.update(b, off, n);
    if (checksum != null) checksum.update(b, off, n);
    return n;
  }

  private void verify() throws S3IOException {
    if (verified) return;
    verified = true;
    if (expectedLength >= 0 && length != expectedLength) throw new S3IOException(incomplete("the body is shorter than declared"));
    byte[] md5Bytes = md5.digest();
    md5Hex = SigV4.hex(md5Bytes);
    if (sha256 != null && !SigV4.hex(sha256.digest()).equals(expectedSha256)) {
      throw new S3IOException(new S3Exception(400, "XAmzContentSHA256Mismatch",
          "The provided 'x-amz-content-sha256' header does not match what was computed."));
    }
    if (expectedMd5 != null && !MessageDigest.isEqual(Base64.getEncoder().encodeToString(md5Bytes).getBytes(), expectedMd5.trim().getBytes())) {
      throw new S3IOException(new S3Exception(400, "BadDigest", "The Content-MD5 you specified did not match what we received."));
    }
    String expectedChecksum = headerChecksumValue;
    if (trailerChecksum != null) {
      expectedChecksum = chunked.trailers().get(trailerChecksum);
      if (expectedChecksum == null) throw new S3IOException(incomplete("the trailer " + trailerChecksum + " is missing"));
    }
    if (checksum != null && expectedChecksum != null && !checksum.base64().equals(expectedChecksum)) {
      throw new S3IOException(new S3Exception(400, "BadDigest", "The " + checksum.header() + " you specified did not match the calculated checksum."));
    }
  }

  /** The MD5 of the whole body, hex; available once the body was read to its end. */
  String md5Hex() {
    if (md5Hex == null) throw new IllegalStateException("body not read to its end");
    return md5Hex;
  }

  long length() {
    return length;
  }

  private static long parseLength(String value) throws S3Exception {
    if (value == null) return -1;
    try {
      long v = Long.parseLong(value.trim());
      if (v < 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("bad content length: " + value);
    }
  }

  static S3Exception entityTooLarge(long max) {
    return new S3Exception(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size of " + max + " bytes");
  }

  private static S3Exception incomplete(String message) {
    return new S3Exception(400, "IncompleteBody", message);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
