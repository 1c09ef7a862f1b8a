package org.ecpds.portal.s3;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalLogin;
import org.ecpds.portal.fs.PortalLogin.S3Credentials;

/**
 * Verifies AWS Signature Version 4, from the Authorization header or from a presigned URL's
 * X-Amz-* query parameters. The secret is looked up through {@link PortalLogin#s3Credentials} and
 * never leaves the portal; signatures are compared in constant time; a request dated more than
 * {@link #MAX_SKEW} away from the clock is refused, so that a captured request cannot be replayed later.
 */
final class SigV4Verifier {
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  static final long MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
  static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final PortalLogin login;
  private final Clock clock;

  SigV4Verifier(PortalLogin login, Clock clock) {
    this.login = login;
    this.clock = clock;
  }

  SignedRequest verify(RequestView request, InetSocketAddress remote) throws S3Exception {
    String authorization = request.header("Authorization");
    Map<String, String> query = QueryParams.parse(request.rawQuery());
    if (authorization != null && authorization.startsWith(SigV4.ALGORITHM + " ")) {
      return verifyHeader(request, authorization, remote);
    }
    if (query.containsKey("X-Amz-Algorithm")) return verifyPresigned(request, query, remote);
    if (authorization != null) {
      throw S3Exception.invalidRequest("Only AWS Signature Version 4 (AWS4-HMAC-SHA256) is supported");
    }
    throw S3Exception.accessDenied("Anonymous access is not allowed: sign requests with an access key");
  }

  private SignedRequest verifyHeader(RequestView request, String authorization, InetSocketAddress remote) throws S3Exception {
    Map<String, String> fields = new HashMap<>();
    for (String part : authorization.substring(SigV4.ALGORITHM.length() + 1).split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    String credential = fields.get("Credential");
    String signedHeaders = fields.get("SignedHeaders");
    String signature = fields.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) throw malformed("the Authorization header is malformed");
    String amzDate = request.header("x-amz-date");
    if (amzDate == null) {
      String date = request.header("Date");
      if (date == null) throw new S3Exception(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
      try {
        amzDate = AMZ_DATE.format(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException e) {
        throw new S3Exception(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
      }
    }
    Instant signedAt = parseDate(amzDate);
    checkSkew(signedAt);
    String payloadHash = request.header("x-amz-content-sha256");
    if (payloadHash == null) {
      // clients that send no body (curl --aws-sigv4 GETs) signed the hash of nothing
      if (hasBody(request)) throw invalidRequestMissingHash();
      payloadHash = SigV4.EMPTY_SHA256;
    }
    return check(request, QueryParams.rawPairs(request.rawQuery(), null), credential, signedHeaders, signature,
        amzDate, payloadHash, remote);
  }

  private SignedRequest verifyPresigned(RequestView request, Map<String, String> query, InetSocketAddress remote) throws S3Exception {
    if (!SigV4.ALGORITHM.equals(query.get("X-Amz-Algorithm"))) throw malformed("unsupported X-Amz-Algorithm");
    String credential = query.get("X-Amz-Credential");
    String signedHeaders = query.get("X-Amz-SignedHeaders");
    String signature = query.get("X-Amz-Signature");
    String amzDate = query.get("X-Amz-Date");
    String expires = query.get("X-Amz-Expires");
    if (credential == null || signedHeaders == null || signature == null || amzDate == null || expires == null) {
      throw new S3Exception(403, "AccessDenied", "the presigned URL lacks X-Amz-Credential, -Date, -Expires, -SignedHeaders or -Signature");
    }
    if (query.containsKey("X-Amz-Security-Token")) throw S3Exception.accessDenied("temporary credentials are not supported");
    long seconds;
    try {
      seconds = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      throw new S3Exception(403, "AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds");
    }
    if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      throw new S3Exception(403, "AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and " + MAX_PRESIGN_SECONDS);
    }
    Instant signedAt = parseDate(amzDate);
    Instant now = clock.instant();
    if (signedAt.isAfter(now.plus(MAX_SKEW))) throw tooSkewed();
    if (now.isAfter(signedAt.plusSeconds(seconds))) throw S3Exception.accessDenied("Request has expired");
    String payloadHash = query.getOrDefault("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");
    return check(request, QueryParams.rawPairs(request.rawQuery(), "X-Amz-Signature"), credential, signedHeaders,
        signature, amzDate, payloadHash, remote);
  }

  private SignedRequest check(RequestView request, List<String[]> queryPairs, String credential, String signedHeaders,
      String signature, String amzDate, String payloadHash, InetSocketAddress remote) throws S3Exception {
    String[] c = credential.split("/");
    if (c.length < 5 || !"aws4_request".equals(c[c.length - 1]) || !"s3".equals(c[c.length - 2])) {
      throw malformed("the credential must be <access key>/<date>/<region>/s3/aws4_request");
    }
    String accessKeyId = String.join("/", java.util.Arrays.copyOf(c, c.length - 4));
    String date = c[c.length - 4];
    String region = c[c.length - 3];
    if (!amzDate.startsWith(date)) throw malformed("the credential's date does not match the request's date");
    List<String> headerNames = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
    if (!headerNames.contains("host")) throw malformed("the host header must be signed");
    S3Credentials credentials;
    try {
      credentials = login.s3Credentials(accessKeyId, remote);
    } catch (LoginException e) {
      if (e.retryAfter().isPresent()) throw new SlowDown(e.retryAfter().get());
      throw new S3Exception(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    }
    String scope = date + "/" + region + "/s3/aws4_request";
    String canonical = canonicalRequest(request, queryPairs, headerNames, payloadHash);
    String stringToSign = SigV4.ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + SigV4.sha256Hex(canonical);
    byte[] key = SigV4.signingKey(credentials.secretKey(), date, region, "s3");
    String expected = SigV4.signature(key, stringToSign);
    if (!SigV4.sameSignature(expected, signature)) {
      login.s3SignatureRefused(credentials, remote);
      throw S3Exception.signatureMismatch();
    }
    return new SignedRequest(credentials, key, amzDate, scope, expected, payloadHash);
  }

  static String canonicalRequest(RequestView request, List<String[]> queryPairs, List<String> headerNames,
      String payloadHash) throws S3Exception {
    StringBuilder sb = new StringBuilder(512);
    sb.append(request.method()).append('\n');
    sb.append(SigV4.encode(SigV4.decode(request.rawPath()), true)).append('\n');
    List<String[]> encoded = new ArrayList<>();
    for (String[] p : queryPairs) encoded.add(new String[] {SigV4.encode(SigV4.decode(p[0]), false), SigV4.encode(SigV4.decode(p[1]), false)});
    encoded.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    for (int i = 0; i < encoded.size(); i++) {
      if (i > 0) sb.append('&');
      sb.append(encoded.get(i)[0]).append('=').append(encoded.get(i)[1]);
    }
    sb.append('\n');
    for (String name : headerNames) {
      List<String> values = request.headers(name);
      List<String> trimmed = new ArrayList<>(values.size());
      for (String v : values) trimmed.add(WireText.fromWire(v).trim().replaceAll(" +", " "));
      sb.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    sb.append('\n').append(String.join(";", headerNames)).append('\n').append(payloadHash);
    return sb.toString();
  }

  private static boolean hasBody(RequestView request) {
    String length = request.header("Content-Length");
    return request.header("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
  }

  private void checkSkew(Instant signedAt) throws S3Exception {
    Duration skew = Duration.between(signedAt, clock.instant()).abs();
    if (skew.compareTo(MAX_SKEW) > 0) throw tooSkewed();
  }

  private static Instant parseDate(String amzDate) throws S3Exception {
    try {
      return Instant.from(AMZ_DATE.parse(amzDate));
    } catch (DateTimeParseException e) {
      throw new S3Exception(403, "AccessDenied", "X-Amz-Date must be yyyyMMddTHHmmssZ");
    }
  }

  private static S3Exception tooSkewed() {
    return new S3Exception(403, "RequestTimeTooSkewed", "The difference between the request time and the server's time is too large.");
  }

  private static S3Exception malformed(String message) {
    return new S3Exception(400, "AuthorizationHeaderMalformed", message);
  }

  private static S3Exception invalidRequestMissingHash() {
    return S3Exception.invalidRequest("x-amz-content-sha256 is required for a request with a body");
  }

  /** The login refused for now (too many failures from this address or user): S3's 503 SlowDown. */
  static final class SlowDown extends S3Exception {
    private final transient Duration retryAfter;

    SlowDown(Duration retryAfter) {
      super(503, "SlowDown", "Too many failed attempts; retry later");
      this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
      return retryAfter;
    }
  }
}
