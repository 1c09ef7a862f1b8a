package org.ecpds.portal.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates S3 requests (path style: /bucket/key) into calls on the user's {@link PortalFs}. Every
 * request is signed (SigV4) and gets its own portal session, closed when the reply is sent. Buckets are
 * the destinations the user may see; they are made and removed by operators, not by S3 clients.
 */
final class S3Handler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(S3Handler.class);
  static final long MAX_OBJECT = 5L * 1024 * 1024 * 1024;
  static final long MIN_PART = 5L * 1024 * 1024;
  static final int MAX_XML_BODY = 2 * 1024 * 1024;
  private static final int BUFFER = 64 * 1024;
  private static final java.util.regex.Pattern COPY_RANGE = java.util.regex.Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})");
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  /** Sub-resources S3 has and the portal does not; answered NotImplemented rather than taken for a plain GET/PUT. */
  private static final Set<String> UNSUPPORTED = Set.of("acl", "policy", "policyStatus", "cors", "lifecycle", "tagging",
      "encryption", "website", "logging", "notification", "replication", "object-lock", "retention",
      "legal-hold", "requestPayment", "accelerate", "analytics", "inventory", "metrics", "ownershipControls",
      "publicAccessBlock", "intelligent-tiering", "restore", "select", "torrent", "attributes");

  private final PortalLogin login;
  private final SigV4Verifier verifier;
  private final MultipartStore multipart;
  private final String region;
  private final PutEtags etags = new PutEtags(10_000);
  /** Replies to recent multipart completions, by user, bucket, key and upload id. */
  private final Map<String, String> completed = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > 1000;
    }
  });
  private static final java.util.concurrent.atomic.AtomicLong REQUEST_IDS = new java.util.concurrent.atomic.AtomicLong();

  S3Handler(PortalLogin login, Clock clock, MultipartStore multipart, String region) {
    this.login = login;
    this.verifier = new SigV4Verifier(login, clock);
    this.multipart = multipart;
    this.region = region;
  }

  /** One request: its parsed parts, the signature, the user's session. */
  private static final class Exchange implements RequestView {
    final Request request;
    final Response response;
    final String method;
    final Map<String, String> params;
    String bucket = "";
    String key = "";
    SignedRequest signed;
    PortalFs fs;

    Exchange(Request request, Response response) throws S3Exception {
      this.request = request;
      this.response = response;
      this.method = request.getMethod();
      this.params = QueryParams.parse(request.getHttpURI().getQuery());
    }

    @Override public String method() { return method; }
    @Override public String rawPath() { return request.getHttpURI().getPath(); }
    @Override public String rawQuery() { return request.getHttpURI().getQuery(); }

    @Override
    public List<String> headers(String name) {
      return request.getHeaders().getValuesList(name);
    }

    boolean head() {
      return method.equals("HEAD");
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Exchange x = null;
    String requestId = Long.toHexString(REQUEST_IDS.incrementAndGet()) + Long.toHexString(System.nanoTime() & 0xffffff);
    response.getHeaders().put("x-amz-request-id", requestId);
    try {
      x = new Exchange(request, response);
      InetSocketAddress remote = remote(request);
      x.signed = verifier.verify(x, remote);
      route(x);
      x.fs = session(x, remote);
      dispatch(x);
      callback.succeeded();
    } catch (S3Exception e) {
      replyError(requestId, request, response, callback, e, x);
    } catch (S3IOException e) {
      replyError(requestId, request, response, callback, e.reply(), x);
    } catch (FsException e) {
      replyError(requestId, request, response, callback, fsError(e, x), x);
    } catch (EofException e) {
      LOG.debug("S3 client hung up: {}", e.toString());
      callback.failed(e);
    } catch (Exception e) {
      if (response.isCommitted()) {
        LOG.debug("S3 reply cut short: {}", e.toString());
        callback.failed(e);
      } else {
        LOG.warn("S3 {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        replyError(requestId, request, response, callback, new S3Exception(500, "InternalError", "We encountered an internal error. Please try again."), x);
      }
    } finally {
      if (x != null && x.fs != null) x.fs.close();
    }
    return true;
  }

  private static InetSocketAddress remote(Request request) {
    return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a ? a
        : new InetSocketAddress("0.0.0.0", 0);
  }

  private PortalFs session(Exchange x, InetSocketAddress remote) throws S3Exception {
    try {
      return login.s3Session(x.signed.credentials(), remote);
    } catch (LoginException e) {
      if (e.retryAfter().isPresent()) throw new SigV4Verifier.SlowDown(e.retryAfter().get());
      throw S3Exception.accessDenied("Access denied: " + e.getMessage());
    }
  }

  private static void route(Exchange x) throws S3Exception {
    String path = x.rawPath();
    if (path == null || !path.startsWith("/")) throw S3Exception.invalidRequest("the path must start with /");
    String rest = path.substring(1);
    int slash = rest.indexOf('/');
    x.bucket = SigV4.decode(slash < 0 ? rest : rest.substring(0, slash));
    x.key = slash < 0 ? "" : SigV4.decode(rest.substring(slash + 1));
    for (String p : x.params.keySet()) {
      if (UNSUPPORTED.contains(p)) throw S3Exception.notImplemented("?" + p);
    }
    // the portal keeps no versions: every object is S3's "null" version of an unversioned bucket
    String version = x.params.get("versionId");
    if (version != null && !version.equals("null")) throw new S3Exception(404, "NoSuchVersion", "The specified version does not exist.");
  }

  private void dispatch(Exchange x) throws Exception {
    Map<String, String> q = x.params;
    if (x.bucket.isEmpty()) {
      if (x.method.equals("GET")) listBuckets(x);
      else throw methodNotAllowed();
      return;
    }
    if (x.key.isEmpty()) {
      switch (x.method) {
        case "GET" -> {
          if (q.containsKey("location")) location(x);
          else if (q.containsKey("uploads")) listUploads(x);
          else if (q.containsKey("versioning")) versioning(x);
          else if (q.containsKey("versions")) listVersions(x);
          else if ("2".equals(q.get("list-type"))) listObjects(x, true);
          else listObjects(x, false);
        }
        case "HEAD" -> headBucket(x);
        case "PUT" -> {
          if (!q.isEmpty()) throw S3Exception.notImplemented("PUT ?" + q.keySet().iterator().next());
          createBucket(x);
        }
        case "DELETE" -> deleteBucket(x);
        case "POST" -> {
          if (q.containsKey("delete")) deleteObjects(x);
          else throw S3Exception.notImplemented("this POST on a bucket");
        }
        default -> throw methodNotAllowed();
      }
      return;
    }
    switch (x.method) {
      case "GET", "HEAD" -> {
        if (q.containsKey("uploadId") && x.method.equals("GET")) listParts(x);
        else getObject(x);
      }
      case "PUT" -> {
        if (q.containsKey("uploadId")) uploadPart(x);
        else if (x.request.getHeaders().get("x-amz-copy-source") != null) copyObject(x);
        else putObject(x);
      }
      case "DELETE" -> {
        if (q.containsKey("uploadId")) abortUpload(x);
        else deleteObject(x);
      }
      case "POST" -> {
        if (q.containsKey("uploads")) createUpload(x);
        else if (q.containsKey("uploadId")) completeUpload(x);
        else throw S3Exception.notImplemented("this POST on an object");
      }
      default -> throw methodNotAllowed();
    }
  }

  // ---- buckets

  /** AWS's largest ListBuckets page (max-buckets). */
  static final int MAX_BUCKETS = 10_000;

  /** ListBuckets: the destinations the user may see, paged as AWS does (max-buckets, continuation-token, prefix). */
  private void listBuckets(Exchange x) throws Exception {
    Map<String, String> q = x.params;
    int max = MAX_BUCKETS;
    if (q.containsKey("max-buckets")) {
      try {
        max = Integer.parseInt(q.get("max-buckets"));
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1 || max > MAX_BUCKETS) throw S3Exception.invalidArgument("max-buckets must be between 1 and " + MAX_BUCKETS);
    }
    String prefix = q.getOrDefault("prefix", "");
    String after = null;
    String token = q.get("continuation-token");
    if (token != null) {
      try {
        after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw S3Exception.invalidArgument("The continuation token provided is incorrect");
      }
    }
    S3Xml xml = S3Xml.document("ListAllMyBucketsResult").open("Owner").element("ID", x.fs.user())
        .element("DisplayName", x.fs.user()).close("Owner").open("Buckets");
    String last = null;
    boolean more = false;
    int listed = 0;
    for (FsEntry e : x.fs.list(FsPath.ROOT)) { // sorted by name
      if (!e.directory() || !e.name().startsWith(prefix) || (after != null && e.name().compareTo(after) <= 0)) continue;
      if (listed == max) {
        more = true;
        break;
      }
      xml.open("Bucket").element("Name", e.name()).element("CreationDate", S3Xml.date(e.modifiedMillis())).close("Bucket");
      last = e.name();
      listed++;
    }
    xml.close("Buckets");
    if (more) xml.element("ContinuationToken", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
    if (q.containsKey("prefix")) xml.element("Prefix", prefix);
    replyXml(x, 200, xml.end("ListAllMyBucketsResult"));
  }

  private FsEntry bucketEntry(Exchange x) throws S3Exception {
    FsPath b = ObjectKeys.bucket(x.bucket);
    try {
      FsEntry e = x.fs.stat(b);
      if (e.directory()) return e;
    } catch (FsException e) {
      if (e.kind() != FsException.Kind.NOT_FOUND) throw fsError(e, x);
    }
    throw noSuchBucket();
  }

  private void headBucket(Exchange x) throws Exception {
    bucketEntry(x);
    x.response.getHeaders().put("x-amz-bucket-region", region);
    reply(x, 200);
  }

  private void location(Exchange x) throws Exception {
    bucketEntry(x);
    // S3 spells us-east-1 as an empty constraint
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" + S3Xml.NS + "\">"
        + ("us-east-1".equals(region) ? "" : region) + "</LocationConstraint>";
    replyXml(x, 200, body);
  }

  private void versioning(Exchange x) throws Exception {
    bucketEntry(x);
    replyXml(x, 200, S3Xml.document("VersioningConfiguration").end("VersioningConfiguration"));
  }

  /**
   * Buckets are destinations, made by operators: the portal refuses mkdir of a destination (AccessDenied)
   * and answers EXISTS for one the user already sees, which S3 spells BucketAlreadyOwnedByYou (rclone
   * and s3cmd create the bucket before a put and accept that answer).
   */
  private void createBucket(Exchange x) throws Exception {
    try {
      x.fs.mkdir(ObjectKeys.bucket(x.bucket));
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.EXISTS) {
        throw new S3Exception(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.");
      }
      if (e.kind() == FsException.Kind.DENIED) throw S3Exception.accessDenied("Buckets are the portal's destinations; they are created by operators");
      throw e;
    }
    x.response.getHeaders().put("Location", "/" + x.bucket);
    reply(x, 200);
  }

  private void deleteBucket(Exchange x) throws Exception {
    try {
      x.fs.rmdir(ObjectKeys.bucket(x.bucket));
    } catch (FsException e) {
      switch (e.kind()) {
        case NOT_FOUND -> throw noSuchBucket();
        case NOT_EMPTY -> throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        case DENIED -> throw S3Exception.accessDenied("Buckets are the portal's destinations; they are removed by operators");
        default -> throw e;
      }
    }
    reply(x, 204);
  }

  private void listObjects(Exchange x, boolean v2) throws Exception {
    Map<String, String> q = x.params;
    FsPath bucket = ObjectKeys.bucket(x.bucket);
    int maxKeys = 1000;
    if (q.containsKey("max-keys")) {
      try {
        maxKeys = Math.max(0, Math.min(1000, Integer.parseInt(q.get("max-keys"))));
      } catch (NumberFormatException e) {
        throw S3Exception.invalidArgument("max-keys must be an integer");
      }
    }
    boolean url = "url".equals(q.get("encoding-type"));
    if (q.containsKey("encoding-type") && !url) throw S3Exception.invalidArgument("encoding-type must be url");
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    if (delimiter != null && delimiter.isEmpty()) delimiter = null;
    String token = q.get("continuation-token");
    String startAfter = v2 ? q.get("start-after") : q.get("marker");
    String from = startAfter;
    if (v2 && token != null) {
      try {
        from = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw S3Exception.invalidArgument("The continuation token provided is incorrect");
      }
    }
    ObjectLister.Page page;
    try {
      page = new ObjectLister(x.fs, prefix, delimiter, from, maxKeys).list(bucket);
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND || e.kind() == FsException.Kind.NOT_DIRECTORY) throw noSuchBucket();
      throw e;
    }
    String root = v2 ? "ListObjectsV2Result" : "ListBucketResult";
    S3Xml xml = S3Xml.document(root).element("Name", x.bucket).element("Prefix", enc(prefix, url));
    if (v2) {
      xml.elementIf("StartAfter", startAfter == null ? null : enc(startAfter, url)).elementIf("ContinuationToken", token)
          .element("KeyCount", page.contents().size() + page.commonPrefixes().size());
      if (page.truncated()) {
        xml.element("NextContinuationToken", Base64.getUrlEncoder().withoutPadding()
            .encodeToString(page.lastReturned().getBytes(StandardCharsets.UTF_8)));
      }
    } else {
      xml.element("Marker", startAfter == null ? "" : enc(startAfter, url));
      if (page.truncated()) xml.element("NextMarker", enc(page.lastReturned(), url));
    }
    xml.element("MaxKeys", maxKeys).elementIf("Delimiter", delimiter == null ? null : enc(delimiter, url));
    if (url) xml.element("EncodingType", "url");
    xml.element("IsTruncated", page.truncated());
    for (ObjectLister.Item i : page.contents()) {
      xml.open("Contents").element("Key", enc(i.key(), url)).element("LastModified", S3Xml.date(i.entry().modifiedMillis()))
          .element("ETag", quote(etags.of(i.entry()))).element("Size", i.entry().size()).element("StorageClass", "STANDARD");
      if (!v2 || "true".equals(q.get("fetch-owner"))) {
        xml.open("Owner").element("ID", x.fs.user()).element("DisplayName", x.fs.user()).close("Owner");
      }
      xml.close("Contents");
    }
    for (String p : page.commonPrefixes()) xml.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    replyXml(x, 200, xml.end(root));
  }

  /** ListObjectVersions of an unversioned bucket: each object once, as version "null". */
  private void listVersions(Exchange x) throws Exception {
    Map<String, String> q = x.params;
    int maxKeys;
    try {
      maxKeys = Math.max(0, Math.min(1000, Integer.parseInt(q.getOrDefault("max-keys", "1000"))));
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("max-keys must be an integer");
    }
    boolean url = "url".equals(q.get("encoding-type"));
    String prefix = q.getOrDefault("prefix", "");
    String delimiter = q.get("delimiter");
    if (delimiter != null && delimiter.isEmpty()) delimiter = null;
    String marker = q.get("key-marker");
    ObjectLister.Page page;
    try {
      page = new ObjectLister(x.fs, prefix, delimiter, marker, maxKeys).list(ObjectKeys.bucket(x.bucket));
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND || e.kind() == FsException.Kind.NOT_DIRECTORY) throw noSuchBucket();
      throw e;
    }
    S3Xml xml = S3Xml.document("ListVersionsResult").element("Name", x.bucket).element("Prefix", enc(prefix, url))
        .element("KeyMarker", marker == null ? "" : enc(marker, url)).element("VersionIdMarker", "")
        .element("MaxKeys", maxKeys).elementIf("Delimiter", delimiter == null ? null : enc(delimiter, url));
    if (url) xml.element("EncodingType", "url");
    xml.element("IsTruncated", page.truncated());
    if (page.truncated()) xml.element("NextKeyMarker", enc(page.lastReturned(), url)).element("NextVersionIdMarker", "null");
    for (ObjectLister.Item i : page.contents()) {
      xml.open("Version").element("Key", enc(i.key(), url)).element("VersionId", "null").element("IsLatest", true)
          .element("LastModified", S3Xml.date(i.entry().modifiedMillis())).element("ETag", quote(etags.of(i.entry())))
          .element("Size", i.entry().size()).element("StorageClass", "STANDARD")
          .open("Owner").element("ID", x.fs.user()).element("DisplayName", x.fs.user()).close("Owner").close("Version");
    }
    for (String p : page.commonPrefixes()) xml.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    replyXml(x, 200, xml.end("ListVersionsResult"));
  }

  private static String enc(String s, boolean url) {
    return url ? SigV4.encode(s, true) : s;
  }

  // ---- objects

  private void getObject(Exchange x) throws Exception {
    FsPath path = ObjectKeys.object(x.bucket, x.key);
    FsEntry entry = statFile(x, path);
    HttpFields h = x.request.getHeaders();
    Conditions.Outcome c = Conditions.evaluate(h.get("If-Match"), h.get("If-None-Match"), h.get("If-Modified-Since"),
        h.get("If-Unmodified-Since"), quote(etags.of(entry)), entry.modifiedMillis());
    if (c == Conditions.Outcome.FAILED) throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
    if (c == Conditions.Outcome.NOT_MODIFIED) {
      objectHeaders(x, entry);
      reply(x, 304);
      return;
    }
    if (x.head()) {
      long[] range = range(h.get("Range"), entry.size());
      objectHeaders(x, entry);
      sendRangeHeaders(x, range, entry.size());
      reply(x, range == null ? 200 : 206);
      return;
    }
    try (FsReader reader = x.fs.read(path)) {
      FsEntry e = reader.entry();
      long[] range = range(h.get("Range"), e.size());
      objectHeaders(x, e);
      sendRangeHeaders(x, range, e.size());
      x.response.setStatus(range == null ? 200 : 206);
      long offset = range == null ? 0 : range[0];
      long length = range == null ? e.size() : range[1] - range[0] + 1;
      try (InputStream in = reader.stream(offset, length); OutputStream out = Content.Sink.asOutputStream(x.response)) {
        byte[] buf = new byte[256 * 1024]; // fewer, larger TLS writes than transferTo's 8-16 KiB
        int n;
        while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
      }
    }
  }

  private void sendRangeHeaders(Exchange x, long[] range, long size) {
    HttpFields.Mutable r = x.response.getHeaders();
    if (range == null) {
      r.put("Content-Length", Long.toString(size));
    } else {
      r.put("Content-Length", Long.toString(range[1] - range[0] + 1));
      r.put("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    }
  }

  private void objectHeaders(Exchange x, FsEntry e) {
    HttpFields.Mutable r = x.response.getHeaders();
    r.put("ETag", quote(etags.of(e)));
    r.put("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(e.modifiedMillis())));
    r.put("Accept-Ranges", "bytes");
    Map<String, String> q = x.params;
    ObjectMetadata.toHeaders(e.metadata()).forEach(r::put);
    if (!r.contains("Content-Type")) r.put("Content-Type", "application/octet-stream");
    if (q.containsKey("response-content-type")) r.put("Content-Type", q.get("response-content-type"));
    // a presigned GET may ask for these reply headers (S3's response-* parameters)
    if (q.containsKey("response-content-disposition")) r.put("Content-Disposition", q.get("response-content-disposition"));
    if (q.containsKey("response-content-encoding")) r.put("Content-Encoding", q.get("response-content-encoding"));
    if (q.containsKey("response-content-language")) r.put("Content-Language", q.get("response-content-language"));
    if (q.containsKey("response-cache-control")) r.put("Cache-Control", q.get("response-cache-control"));
    if (q.containsKey("response-expires")) r.put("Expires", q.get("response-expires"));
  }

  /** A single byte range {first, last}, null for the whole object; several ranges are answered whole, as S3 does. */
  static long[] range(String header, long size) throws S3Exception {
    if (header == null) return null;
    String h = header.trim();
    if (!h.startsWith("bytes=") || h.contains(",")) return null;
    String spec = h.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) return null;
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      long first;
      long last;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0 || size == 0) throw invalidRange(size);
        first = Math.max(0, size - suffix);
        last = size - 1;
      } else {
        first = Long.parseLong(a);
        last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        if (!b.isEmpty() && Long.parseLong(b) < first) return null; // syntactically invalid: ignored
        if (first >= size) throw invalidRange(size);
      }
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static S3Exception invalidRange(long size) {
    return new RangeException(size);
  }

  /** 416 with the Content-Range S3 sends: bytes *&#47;size. */
  static final class RangeException extends S3Exception {
    final long size;

    RangeException(long size) {
      super(416, "InvalidRange", "The requested range is not satisfiable");
      this.size = size;
    }
  }

  private FsEntry statFile(Exchange x, FsPath path) throws Exception {
    FsEntry e = x.fs.stat(path);
    if (e.directory()) throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
    return e;
  }

  private void putObject(Exchange x) throws Exception {
    FsPath path = ObjectKeys.object(x.bucket, x.key);
    if (x.key.endsWith("/")) {
      // a "directory marker": an empty object whose key ends with / becomes a directory
      String length = x.header("x-amz-decoded-content-length") != null ? x.header("x-amz-decoded-content-length") : x.header("Content-Length");
      if (length != null && !length.trim().equals("0")) {
        throw S3Exception.invalidArgument("A key ending in / names a directory of the destination and cannot hold content");
      }
      try (PayloadStream body = PayloadStream.open(x, x.signed, Content.Source.asInputStream(x.request), 0)) {
        body.transferTo(OutputStream.nullOutputStream());
        mkdirs(x, path);
        x.response.getHeaders().put("ETag", quote(body.md5Hex()));
      }
      reply(x, 200);
      return;
    }
    checkWriteConditions(x, path);
    Map<String, String> metadata = ObjectMetadata.fromRequest(x.request.getHeaders());
    try (FsUpload upload = openUpload(x, path);
        PayloadStream body = PayloadStream.open(x, x.signed, Content.Source.asInputStream(x.request), MAX_OBJECT)) {
      copy(body, upload);
      FsEntry committed = upload.commit(metadata);
      etags.remember(committed, body.md5Hex());
      keepClientMtime(x, path);
      x.response.getHeaders().put("ETag", quote(body.md5Hex()));
    }
    reply(x, 200);
  }

  /**
   * rclone sends the source file's modification time as x-amz-meta-mtime (seconds, with a fraction); the
   * portal keeps modification times, so the file gets it when the user may set them (MTIME), and rclone
   * then sees its file unchanged instead of copying it again. Otherwise the upload time stays.
   */
  private static void keepClientMtime(Exchange x, FsPath path) {
    keepClientMtime(x, path, x.header("x-amz-meta-mtime"));
  }

  private static void keepClientMtime(Exchange x, FsPath path, String mtime) {
    if (mtime == null || !x.fs.allowed(org.ecpds.portal.fs.FsPermission.MTIME, path)) return;
    try {
      long millis = new java.math.BigDecimal(mtime.trim()).movePointRight(3).longValue();
      x.fs.setModified(path, millis);
    } catch (NumberFormatException | ArithmeticException | FsException e) {
      LOG.debug("x-amz-meta-mtime {} not applied to {}: {}", mtime, path, e.toString());
    }
  }

  /**
   * S3's conditional writes: If-None-Match: * (only if absent), If-Match: etag (only over that content).
   * Checked before the upload starts; the portal offers no compare-and-swap, so two racing writers can
   * both pass.
   */
  private void checkWriteConditions(Exchange x, FsPath path) throws Exception {
    String ifMatch = x.header("If-Match");
    String ifNoneMatch = x.header("If-None-Match");
    if (ifMatch == null && ifNoneMatch == null) return;
    FsEntry existing = null;
    try {
      existing = x.fs.stat(path);
      if (existing.directory()) existing = null;
    } catch (FsException e) {
      if (e.kind() != FsException.Kind.NOT_FOUND) throw e;
    }
    if (ifNoneMatch != null && existing != null && Conditions.matches(ifNoneMatch, quote(etags.of(existing)))) {
      throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
    }
    if (ifMatch != null) {
      if (existing == null) throw new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
      if (!Conditions.matches(ifMatch, quote(etags.of(existing)))) {
        throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
      }
    }
  }

  /** Starts an upload; the key's directories come with it (S3 has no directories: PUT is all it needs). */
  private FsUpload openUpload(Exchange x, FsPath path) throws Exception {
    try {
      return x.fs.writeWithParents(path);
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND) bucketEntry(x);
      throw e;
    }
  }

  private static void mkdirs(Exchange x, FsPath dir) throws FsException {
    if (dir.isRoot() || dir.isDestination()) return;
    try {
      if (x.fs.stat(dir).directory()) return;
      throw new FsException(FsException.Kind.NOT_DIRECTORY, dir, "a file is in the way: " + dir);
    } catch (FsException e) {
      if (e.kind() != FsException.Kind.NOT_FOUND) throw e;
    }
    mkdirs(x, dir.parent());
    try {
      x.fs.mkdir(dir);
    } catch (FsException e) {
      if (e.kind() != FsException.Kind.EXISTS) throw e; // made meanwhile by a parallel request
    }
  }

  private static void copy(InputStream in, FsUpload upload) throws IOException {
    byte[] buf = new byte[BUFFER];
    int n;
    while ((n = in.read(buf)) >= 0) {
      ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
      while (b.hasRemaining()) upload.write(b);
    }
  }

  /** The source of a copy: x-amz-copy-source is "bucket/key" or "/bucket/key", URL-encoded. */
  private static FsPath copySource(Exchange x) throws S3Exception {
    String raw = x.request.getHeaders().get("x-amz-copy-source").trim();
    int q = raw.indexOf('?');
    if (q >= 0) {
      if (raw.substring(q + 1).startsWith("versionId=")) throw S3Exception.notImplemented("copying a version");
      raw = raw.substring(0, q);
    }
    String s = SigV4.decode(raw);
    if (s.startsWith("/")) s = s.substring(1);
    int slash = s.indexOf('/');
    if (slash <= 0 || slash == s.length() - 1) throw S3Exception.invalidArgument("x-amz-copy-source must be bucket/key");
    return ObjectKeys.object(s.substring(0, slash), s.substring(slash + 1));
  }

  private void checkCopyConditions(Exchange x, FsEntry source) throws S3Exception {
    HttpFields h = x.request.getHeaders();
    Conditions.Outcome c = Conditions.evaluate(h.get("x-amz-copy-source-if-match"), h.get("x-amz-copy-source-if-none-match"),
        h.get("x-amz-copy-source-if-modified-since"), h.get("x-amz-copy-source-if-unmodified-since"),
        quote(etags.of(source)), source.modifiedMillis());
    if (c != Conditions.Outcome.PROCEED) throw new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  }

  private void copyObject(Exchange x) throws Exception {
    FsPath target = ObjectKeys.object(x.bucket, x.key);
    FsPath source = copySource(x);
    FsEntry src = statFile(x, source);
    checkCopyConditions(x, src);
    String directive = x.request.getHeaders().get("x-amz-metadata-directive");
    boolean replace = "REPLACE".equalsIgnoreCase(directive);
    if (directive != null && !replace && !"COPY".equalsIgnoreCase(directive)) {
      throw S3Exception.invalidArgument("Unknown metadata directive.");
    }
    Map<String, String> metadata = replace ? ObjectMetadata.fromRequest(x.request.getHeaders()) : src.metadata();
    if (source.equals(target) && !replace) {
      throw S3Exception.invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata.");
    }
    if (source.equals(target) && metadata.equals(src.metadata())) {
      // rclone "copies onto itself" to set a modification time: no need to copy the content for that
      keepClientMtime(x, target);
      src = statFile(x, source);
      replyXml(x, 200, S3Xml.document("CopyObjectResult").element("LastModified", S3Xml.date(src.modifiedMillis()))
          .element("ETag", quote(etags.of(src))).end("CopyObjectResult"));
      return;
    }
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    FsEntry written;
    try (FsReader reader = x.fs.read(source); FsUpload upload = openUpload(x, target)) {
      try (InputStream in = new java.security.DigestInputStream(reader.stream(0, reader.entry().size()), md5)) {
        copy(in, upload);
      }
      written = upload.commit(metadata);
    }
    if (source.equals(target)) keepClientMtime(x, target);
    String md5Hex = SigV4.hex(md5.digest());
    etags.remember(written, md5Hex);
    replyXml(x, 200, S3Xml.document("CopyObjectResult").element("LastModified", S3Xml.date(written.modifiedMillis()))
        .element("ETag", quote(md5Hex)).end("CopyObjectResult"));
  }

  private void deleteObject(Exchange x) throws Exception {
    FsPath path = ObjectKeys.object(x.bucket, x.key);
    deleteOne(x, path, x.key.endsWith("/"));
    reply(x, 204);
  }

  /** S3 deletes are idempotent: a key that is not there (or is a directory) is "deleted" too. */
  private void deleteOne(Exchange x, FsPath path, boolean directoryMarker) throws Exception {
    try {
      if (directoryMarker) x.fs.rmdir(path);
      else x.fs.delete(path);
    } catch (FsException e) {
      switch (e.kind()) {
        case NOT_FOUND, IS_DIRECTORY, NOT_DIRECTORY, NOT_EMPTY -> bucketEntry(x);
        default -> throw e;
      }
      return;
    }
    removeEmptyParents(x, path.parent());
  }

  /**
   * S3 has no directories: a prefix exists while a key has it. So the directories left empty by a
   * delete are removed up to the destination (where the user may remove directories at all).
   */
  private static void removeEmptyParents(Exchange x, FsPath dir) {
    for (FsPath d = dir; !d.isRoot() && !d.isDestination(); d = d.parent()) {
      if (!x.fs.allowed(org.ecpds.portal.fs.FsPermission.RMDIR, d)) return;
      try {
        if (!x.fs.list(d).isEmpty()) return;
        x.fs.rmdir(d);
      } catch (FsException e) {
        return; // not empty any more, or not ours to remove: it stays
      }
    }
  }

  private void deleteObjects(Exchange x) throws Exception {
    bucketEntry(x);
    org.w3c.dom.Element root = S3Xml.parse(xmlBody(x));
    if (!"Delete".equals(S3Xml.localName(root))) throw S3Exception.malformedXml("expected <Delete>");
    boolean quiet = "true".equalsIgnoreCase(S3Xml.childText(root, "Quiet"));
    List<org.w3c.dom.Element> objects = S3Xml.children(root, "Object");
    if (objects.size() > 1000) x.fs.refused("DeleteObjects of " + objects.size() + " objects (at most 1000) in " + x.bucket);
    if (objects.isEmpty() || objects.size() > 1000) throw S3Exception.malformedXml("between 1 and 1000 objects per request");
    S3Xml xml = S3Xml.document("DeleteResult");
    for (org.w3c.dom.Element o : objects) {
      String key = S3Xml.childRaw(o, "Key");
      if (key == null) throw S3Exception.malformedXml("an <Object> without <Key>");
      try {
        deleteOne(x, ObjectKeys.object(x.bucket, key), key.endsWith("/"));
        if (!quiet) xml.open("Deleted").element("Key", key).close("Deleted");
      } catch (S3Exception | FsException e) {
        S3Exception s = e instanceof S3Exception se ? se : fsError((FsException) e, x);
        xml.open("Error").element("Key", key).element("Code", s.code()).element("Message", s.getMessage()).close("Error");
      }
    }
    replyXml(x, 200, xml.end("DeleteResult"));
  }

  /** A small XML request body, read through the payload checks and capped. */
  private static byte[] xmlBody(Exchange x) throws Exception {
    try (PayloadStream body = PayloadStream.open(x, x.signed, Content.Source.asInputStream(x.request), MAX_XML_BODY)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      body.transferTo(out);
      return out.toByteArray();
    } catch (S3Exception e) {
      if ("EntityTooLarge".equals(e.code())) x.fs.refused("XML body larger than " + MAX_XML_BODY + " bytes in " + x.bucket);
      throw e;
    } catch (S3IOException e) {
      if ("EntityTooLarge".equals(e.reply().code())) x.fs.refused("XML body larger than " + MAX_XML_BODY + " bytes in " + x.bucket);
      throw e;
    }
  }

  // ---- multipart

  private void createUpload(Exchange x) throws Exception {
    FsPath path = ObjectKeys.object(x.bucket, x.key);
    if (x.key.endsWith("/")) throw S3Exception.invalidArgument("a multipart upload needs an object key");
    bucketEntry(x);
    // advisory only (the write at completion is what the portal checks): saves sending gigabytes in vain
    if (!x.fs.allowed(org.ecpds.portal.fs.FsPermission.PUT, path)) throw S3Exception.accessDenied("Access Denied");
    MultipartStore.Upload u = multipart.create(x.fs.user(), x.bucket, x.key, path);
    u.clientMtime = x.header("x-amz-meta-mtime");
    u.metadata = ObjectMetadata.fromRequest(x.request.getHeaders());
    replyXml(x, 200, S3Xml.document("InitiateMultipartUploadResult").element("Bucket", x.bucket).element("Key", x.key)
        .element("UploadId", u.id).end("InitiateMultipartUploadResult"));
  }

  private static int partNumber(String value) throws S3Exception {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 10000) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
  }

  private void uploadPart(Exchange x) throws Exception {
    MultipartStore.Upload u = multipart.get(x.params.get("uploadId"), x.fs.user(), x.bucket, x.key);
    int number = partNumber(x.params.get("partNumber"));
    String copySource = x.request.getHeaders().get("x-amz-copy-source");
    if (copySource != null) {
      uploadPartCopy(x, u, number);
      return;
    }
    try (PayloadStream body = PayloadStream.open(x, x.signed, Content.Source.asInputStream(x.request), MAX_OBJECT)) {
      MultipartStore.Part p = multipart.putPart(u, number, body, body::md5Hex);
      x.response.getHeaders().put("ETag", quote(p.md5Hex()));
    }
    reply(x, 200);
  }

  private void uploadPartCopy(Exchange x, MultipartStore.Upload u, int number) throws Exception {
    FsPath source = copySource(x);
    FsEntry src = statFile(x, source);
    checkCopyConditions(x, src);
    long[] r = null;
    String rangeHeader = x.request.getHeaders().get("x-amz-copy-source-range");
    if (rangeHeader != null) {
      r = range(rangeHeader, src.size());
      if (r == null) throw S3Exception.invalidArgument("x-amz-copy-source-range must be bytes=first-last");
      // unlike a GET's Range, a copy range is not clamped: its last byte must exist
      java.util.regex.Matcher m = COPY_RANGE.matcher(rangeHeader.trim());
      if (m.matches() && Long.parseLong(m.group(2)) >= src.size()) throw invalidRange(src.size());
    }
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    MultipartStore.Part p;
    try (FsReader reader = x.fs.read(source);
        InputStream in = new java.security.DigestInputStream(
            r == null ? reader.stream(0, src.size()) : reader.stream(r[0], r[1] - r[0] + 1), md5)) {
      p = multipart.putPart(u, number, in, () -> SigV4.hex(md5.digest()));
    }
    replyXml(x, 200, S3Xml.document("CopyPartResult").element("LastModified", S3Xml.date(p.modifiedMillis()))
        .element("ETag", quote(p.md5Hex())).end("CopyPartResult"));
  }

  private void completeUpload(Exchange x) throws Exception {
    MultipartStore.Upload u;
    try {
      u = multipart.get(x.params.get("uploadId"), x.fs.user(), x.bucket, x.key);
    } catch (S3Exception e) {
      // a client that retries a completion whose reply it lost gets the same answer again
      String done = completed.get(x.fs.user() + "\n" + x.bucket + "\n" + x.key + "\n" + x.params.get("uploadId"));
      if (done == null) throw e;
      replyXml(x, 200, done);
      return;
    }
    org.w3c.dom.Element root = S3Xml.parse(xmlBody(x));
    if (!"CompleteMultipartUpload".equals(S3Xml.localName(root))) throw S3Exception.malformedXml("expected <CompleteMultipartUpload>");
    List<org.w3c.dom.Element> listed = S3Xml.children(root, "Part");
    if (listed.isEmpty()) throw S3Exception.malformedXml("no <Part>");
    List<MultipartStore.Part> parts = new java.util.ArrayList<>();
    int previous = 0;
    for (org.w3c.dom.Element e : listed) {
      String n = S3Xml.childText(e, "PartNumber");
      String etag = S3Xml.childText(e, "ETag");
      if (n == null || etag == null) throw S3Exception.malformedXml("a <Part> needs <PartNumber> and <ETag>");
      int number = partNumber(n);
      if (number <= previous) throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
      previous = number;
      MultipartStore.Part p = u.parts.get(number);
      if (p == null || !Conditions.unquote(etag).equalsIgnoreCase(p.md5Hex())) {
        throw new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.");
      }
      parts.add(p);
    }
    for (int i = 0; i < parts.size() - 1; i++) {
      if (parts.get(i).size() < MIN_PART) throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
    }
    checkWriteConditions(x, u.path);
    MessageDigest md5s = MessageDigest.getInstance("MD5");
    FsEntry committed;
    try (FsUpload upload = openUpload(x, u.path)) {
      for (MultipartStore.Part p : parts) {
        md5s.update(HexFormat.of().parseHex(p.md5Hex()));
        try (InputStream in = Files.newInputStream(p.file())) {
          copy(in, upload);
        }
      }
      committed = upload.commit(u.metadata);
    }
    multipart.remove(u);
    String etag = SigV4.hex(md5s.digest()) + "-" + parts.size();
    etags.remember(committed, etag);
    keepClientMtime(x, u.path, u.clientMtime);
    String result = S3Xml.document("CompleteMultipartUploadResult").element("Location", "/" + x.bucket + "/" + x.key)
        .element("Bucket", x.bucket).element("Key", x.key).element("ETag", quote(etag)).end("CompleteMultipartUploadResult");
    completed.put(x.fs.user() + "\n" + x.bucket + "\n" + x.key + "\n" + u.id, result);
    replyXml(x, 200, result);
  }

  private void abortUpload(Exchange x) throws Exception {
    multipart.remove(multipart.get(x.params.get("uploadId"), x.fs.user(), x.bucket, x.key));
    reply(x, 204);
  }

  private void listParts(Exchange x) throws Exception {
    MultipartStore.Upload u = multipart.get(x.params.get("uploadId"), x.fs.user(), x.bucket, x.key);
    int max = 1000;
    int marker = 0;
    try {
      if (x.params.containsKey("max-parts")) max = Math.max(0, Math.min(1000, Integer.parseInt(x.params.get("max-parts"))));
      if (x.params.containsKey("part-number-marker")) marker = Integer.parseInt(x.params.get("part-number-marker"));
    } catch (NumberFormatException e) {
      throw S3Exception.invalidArgument("max-parts and part-number-marker must be integers");
    }
    S3Xml xml = S3Xml.document("ListPartsResult").element("Bucket", x.bucket).element("Key", x.key).element("UploadId", u.id)
        .open("Initiator").element("ID", u.user).element("DisplayName", u.user).close("Initiator")
        .open("Owner").element("ID", u.user).element("DisplayName", u.user).close("Owner")
        .element("StorageClass", "STANDARD").element("PartNumberMarker", marker);
    List<MultipartStore.Part> after = u.parts.values().stream().filter(p -> p.number() > 0).toList();
    final int from = marker;
    after = after.stream().filter(p -> p.number() > from).toList();
    boolean truncated = after.size() > max;
    List<MultipartStore.Part> page = after.subList(0, Math.min(max, after.size()));
    if (!page.isEmpty()) xml.element("NextPartNumberMarker", page.get(page.size() - 1).number());
    xml.element("MaxParts", max).element("IsTruncated", truncated);
    for (MultipartStore.Part p : page) {
      xml.open("Part").element("PartNumber", p.number()).element("LastModified", S3Xml.date(p.modifiedMillis()))
          .element("ETag", quote(p.md5Hex())).element("Size", p.size()).close("Part");
    }
    replyXml(x, 200, xml.end("ListPartsResult"));
  }

  private void listUploads(Exchange x) throws Exception {
    bucketEntry(x);
    String prefix = x.params.getOrDefault("prefix", "");
    S3Xml xml = S3Xml.document("ListMultipartUploadsResult").element("Bucket", x.bucket)
        .element("KeyMarker", "").element("UploadIdMarker", "").element("Prefix", prefix)
        .element("MaxUploads", 1000).element("IsTruncated", false);
    for (MultipartStore.Upload u : multipart.list(x.fs.user(), x.bucket, prefix)) {
      xml.open("Upload").element("Key", u.key).element("UploadId", u.id)
          .open("Initiator").element("ID", u.user).element("DisplayName", u.user).close("Initiator")
          .open("Owner").element("ID", u.user).element("DisplayName", u.user).close("Owner")
          .element("StorageClass", "STANDARD").element("Initiated", S3Xml.date(u.initiated.toEpochMilli())).close("Upload");
    }
    replyXml(x, 200, xml.end("ListMultipartUploadsResult"));
  }

  // ---- replies

  static String quote(String etag) {
    return "\"" + etag + "\"";
  }

  private static S3Exception noSuchBucket() {
    return new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist");
  }

  private static S3Exception methodNotAllowed() {
    return new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  }

  /** The S3 reply for a portal refusal; NOT_FOUND is NoSuchBucket when the bucket itself is not visible. */
  private S3Exception fsError(FsException e, Exchange x) {
    return switch (e.kind()) {
      case NOT_FOUND -> {
        if (x == null || x.fs == null || x.bucket.isEmpty()) yield noSuchBucket();
        try {
          bucketEntry(x);
          yield new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
        } catch (S3Exception b) {
          yield b;
        }
      }
      case DENIED -> S3Exception.accessDenied("Access Denied");
      case INVALID_NAME -> S3Exception.invalidArgument("The object key cannot be stored in the data portal");
      case IS_DIRECTORY, NOT_DIRECTORY, EXISTS, NOT_EMPTY ->
          new S3Exception(409, "OperationAborted", "The key conflicts with a directory of the destination: " + e.getMessage());
      case QUOTA_EXCEEDED -> new S3Exception(403, "QuotaExceeded", e.getMessage());
      case UNAVAILABLE -> new S3Exception(503, "ServiceUnavailable", "Please reduce your request rate or retry later.");
    };
  }

  private static void reply(Exchange x, int status) throws IOException {
    x.response.setStatus(status);
    if (status != 304 && !x.response.getHeaders().contains("Content-Length")) x.response.getHeaders().put("Content-Length", "0");
    try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
      // headers only
    }
  }

  private static void replyXml(Exchange x, int status, String xml) throws IOException {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    x.response.setStatus(status);
    x.response.getHeaders().put("Content-Type", "application/xml");
    x.response.getHeaders().put("Content-Length", Integer.toString(body.length));
    try (OutputStream out = Content.Sink.asOutputStream(x.response)) {
      if (!x.head()) out.write(body);
    }
  }

  private static void replyError(String requestId, Request request, Response response, Callback callback, S3Exception e, Exchange x) {
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    if (e.status() >= 500) LOG.info("S3 {} {}: {} {}", request.getMethod(), request.getHttpURI().getPath(), e.code(), e.getMessage());
    else LOG.debug("S3 {} {}: {} {}", request.getMethod(), request.getHttpURI().getPath(), e.code(), e.getMessage());
    response.reset();
    response.getHeaders().put("x-amz-request-id", requestId);
    response.setStatus(e.status());
    if (e instanceof RangeException r) response.getHeaders().put("Content-Range", "bytes */" + r.size);
    if (e instanceof SigV4Verifier.SlowDown s) response.getHeaders().put("Retry-After", Long.toString(Math.max(1, s.retryAfter().toSeconds())));
    String resource = request.getHttpURI().getPath();
    byte[] body = S3Xml.bare("Error").element("Code", e.code()).element("Message", e.getMessage())
        .element("Resource", resource).element("RequestId", requestId).end("Error")
        .getBytes(StandardCharsets.UTF_8);
    if (request.getMethod().equals("HEAD")) {
      response.getHeaders().put("Content-Length", "0");
      callback.succeeded();
      return;
    }
    response.getHeaders().put("Content-Type", "application/xml");
    response.getHeaders().put("Content-Length", Integer.toString(body.length));
    // a refusal sent before the client's body was read: the connection cannot be reused
    if (!bodyRead(x)) response.getHeaders().put("Connection", "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static boolean bodyRead(Exchange x) {
    return x == null || x.method.equals("GET") || x.method.equals("HEAD");
  }
}
