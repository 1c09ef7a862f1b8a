package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.ecpds.portal.fs.MemoryPortal;
import org.junit.jupiter.api.Test;

/**
 * SigV4 against the worked examples of AWS's S3 documentation (same key, dates and signatures), and
 * the refusals around them: a wrong secret, clock skew, an expired presigned URL, a tampered chunk.
 */
class SigV4VerifierTest {
  static final String AK = "AKIAIOSFODNN7EXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  static final Instant SIGNED = Instant.parse("2013-05-24T00:00:00Z");
  static final InetSocketAddress REMOTE = new InetSocketAddress("127.0.0.1", 40000);

  record View(String method, String rawPath, String rawQuery, Map<String, String> h) implements RequestView {
    @Override
    public List<String> headers(String name) {
      for (var e : h.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return List.of(e.getValue());
      return List.of();
    }
  }

  private static SigV4Verifier verifier(String secret, Instant now) {
    return new SigV4Verifier(new MemoryPortal().s3Key("u", AK, secret), Clock.fixed(now, ZoneOffset.UTC));
  }

  private static View getObjectExample() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "examplebucket.s3.amazonaws.com");
    h.put("Range", "bytes=0-9");
    h.put("x-amz-content-sha256", SigV4.EMPTY_SHA256);
    h.put("x-amz-date", "20130524T000000Z");
    h.put("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    return new View("GET", "/test.txt", null, h);
  }

  @Test
  void headerSignatureOfTheAwsExampleIsAccepted() throws Exception {
    SignedRequest s = verifier(SECRET, SIGNED.plusSeconds(60)).verify(getObjectExample(), REMOTE);
    assertThat(s.credentials().user()).isEqualTo("u");
  }

  @Test
  void aWrongSecretIsSignatureDoesNotMatch() {
    assertThatThrownBy(() -> verifier(SECRET + "x", SIGNED).verify(getObjectExample(), REMOTE))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
  }

  @Test
  void anUnknownKeyIsInvalidAccessKeyId() {
    SigV4Verifier v = new SigV4Verifier(new MemoryPortal(), Clock.fixed(SIGNED, ZoneOffset.UTC));
    assertThatThrownBy(() -> v.verify(getObjectExample(), REMOTE))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("InvalidAccessKeyId"));
  }

  @Test
  void aRequestOlderThanFifteenMinutesIsTooSkewed() throws Exception {
    verifier(SECRET, SIGNED.plusSeconds(15 * 60)).verify(getObjectExample(), REMOTE);
    assertThatThrownBy(() -> verifier(SECRET, SIGNED.plusSeconds(15 * 60 + 1)).verify(getObjectExample(), REMOTE))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("RequestTimeTooSkewed"));
    assertThatThrownBy(() -> verifier(SECRET, SIGNED.minusSeconds(15 * 60 + 1)).verify(getObjectExample(), REMOTE))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("RequestTimeTooSkewed"));
  }

  @Test
  void aTamperedHeaderIsRefused() {
    View v = getObjectExample();
    Map<String, String> h = new LinkedHashMap<>(v.h());
    h.put("Range", "bytes=0-99");
    assertThatThrownBy(() -> verifier(SECRET, SIGNED).verify(new View("GET", "/test.txt", null, h), REMOTE))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("SignatureDoesNotMatch"));
  }

  private static View presignedExample() {
    return new View("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        Map.of("Host", "examplebucket.s3.amazonaws.com"));
  }

  @Test
  void presignedUrlOfTheAwsExampleIsAcceptedUntilItExpires() throws Exception {
    verifier(SECRET, SIGNED.plusSeconds(86400)).verify(presignedExample(), REMOTE);
    assertThatThrownBy(() -> verifier(SECRET, SIGNED.plusSeconds(86401)).verify(presignedExample(), REMOTE))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("AccessDenied"));
  }

  @Test
  void anonymousRequestsAreDenied() {
    assertThatThrownBy(() -> verifier(SECRET, SIGNED).verify(new View("GET", "/b/k", null, Map.of("Host", "h")), REMOTE))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("AccessDenied"));
  }

  // ---- streaming (aws-chunked), the AWS example: 64 KiB + 1 KiB of 'a', signed chunk by chunk

  private static View streamingExample() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "s3.amazonaws.com");
    h.put("x-amz-date", "20130524T000000Z");
    h.put("x-amz-storage-class", "REDUCED_REDUNDANCY");
    h.put("Content-Encoding", "aws-chunked");
    h.put("x-amz-decoded-content-length", "66560");
    h.put("Content-Length", "66824");
    h.put("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    h.put("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,"
        + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");
    return new View("PUT", "/examplebucket/chunkObject.txt", null, h);
  }

  private static byte[] streamingBody(char fill) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] a = new byte[65536];
    Arrays.fill(a, (byte) 'a');
    out.writeBytes("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n".getBytes(StandardCharsets.US_ASCII));
    a[100] = (byte) fill;
    out.writeBytes(a);
    out.writeBytes("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n".getBytes(StandardCharsets.US_ASCII));
    byte[] b = new byte[1024];
    Arrays.fill(b, (byte) 'a');
    out.writeBytes(b);
    out.writeBytes("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Test
  void signedChunksOfTheAwsExampleAreDecodedAndVerified() throws Exception {
    View v = streamingExample();
    SignedRequest s = verifier(SECRET, SIGNED).verify(v, REMOTE);
    try (PayloadStream p = PayloadStream.open(v, s, new ByteArrayInputStream(streamingBody('a')), 1 << 20)) {
      byte[] content = p.readAllBytes();
      assertThat(content).hasSize(66560).containsOnly((byte) 'a');
    }
  }

  @Test
  void aTamperedChunkFailsBeforeTheBodyEnds() throws Exception {
    View v = streamingExample();
    SignedRequest s = verifier(SECRET, SIGNED).verify(v, REMOTE);
    try (PayloadStream p = PayloadStream.open(v, s, new ByteArrayInputStream(streamingBody('b')), 1 << 20)) {
      assertThatThrownBy(p::readAllBytes).isInstanceOfSatisfying(S3IOException.class,
          e -> assertThat(e.reply().code()).isEqualTo("SignatureDoesNotMatch"));
    }
  }

  // ---- unsigned chunks with a checksum trailer (recent botocore's default)

  private static SignedRequest unsignedTrailer() {
    return new SignedRequest(null, new byte[32], "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", "seed",
        PayloadStream.STREAMING_UNSIGNED_TRAILER);
  }

  private static byte[] trailerBody(byte[] content, String crc) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((Integer.toHexString(content.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes(("\r\n0\r\nx-amz-checksum-crc32:" + crc + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static String crc32(byte[] b) {
    CRC32 c = new CRC32();
    c.update(b);
    return java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
  }

  @Test
  void unsignedChunksWithAChecksumTrailerAreDecodedAndChecked() throws Exception {
    byte[] content = "hello, portal".getBytes(StandardCharsets.UTF_8);
    View v = new View("PUT", "/b/k", null, Map.of("x-amz-trailer", "x-amz-checksum-crc32",
        "x-amz-decoded-content-length", Integer.toString(content.length)));
    try (PayloadStream p = PayloadStream.open(v, unsignedTrailer(), new ByteArrayInputStream(trailerBody(content, crc32(content))), 1 << 20)) {
      assertThat(p.readAllBytes()).isEqualTo(content);
      assertThat(p.md5Hex()).isEqualTo(SigV4.hex(java.security.MessageDigest.getInstance("MD5").digest(content)));
    }
    byte[] other = "hello, portaL".getBytes(StandardCharsets.UTF_8);
    try (PayloadStream p = PayloadStream.open(v, unsignedTrailer(), new ByteArrayInputStream(trailerBody(content, crc32(other))), 1 << 20)) {
      assertThatThrownBy(p::readAllBytes).isInstanceOfSatisfying(S3IOException.class,
          e -> assertThat(e.reply().code()).isEqualTo("BadDigest"));
    }
  }

  @Test
  void aSignedPayloadHashMustMatchTheBody() throws Exception {
    byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
    View v = new View("PUT", "/b/k", null, Map.of("Content-Length", "3"));
    SignedRequest good = new SignedRequest(null, new byte[32], "d", "s", "seed", SigV4.sha256Hex(content));
    try (PayloadStream p = PayloadStream.open(v, good, new ByteArrayInputStream(content), 10)) {
      assertThat(p.readAllBytes()).isEqualTo(content);
    }
    SignedRequest bad = new SignedRequest(null, new byte[32], "d", "s", "seed", SigV4.sha256Hex("abd"));
    try (PayloadStream p = PayloadStream.open(v, bad, new ByteArrayInputStream(content), 10)) {
      assertThatThrownBy(p::readAllBytes).isInstanceOfSatisfying(S3IOException.class,
          e -> assertThat(e.reply().code()).isEqualTo("XAmzContentSHA256Mismatch"));
    }
    assertThatThrownBy(() -> PayloadStream.open(new View("PUT", "/b/k", null, Map.of("Content-Length", "11")), good,
        new ByteArrayInputStream(content), 10)).isInstanceOfSatisfying(S3Exception.class,
        e -> assertThat(e.code()).isEqualTo("EntityTooLarge"));
  }

  @Test
  void xmlBodiesWithADoctypeAreRefused() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Delete><Object><Key>&x;</Key></Object></Delete>";
    assertThatThrownBy(() -> S3Xml.parse(xxe.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.code()).isEqualTo("MalformedXML"));
  }
}
