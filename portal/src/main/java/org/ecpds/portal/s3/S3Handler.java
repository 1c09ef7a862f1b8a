package org.ecpds.portal.s3;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S3 listener's entry: verifies each request's signature (SigV4), opens the user's {@link PortalFs}
 * session for it (closed when the reply is sent), routes it (path style: /bucket/key) to the bucket,
 * object or multipart operations, and turns refusals into S3's XML error replies.
 */
final class S3Handler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(S3Handler.class);
  static final long MAX_OBJECT = 5L * 1024 * 1024 * 1024;
  static final int MAX_XML_BODY = 2 * 1024 * 1024;
  /** Sub-resources S3 has and the portal does not; answered NotImplemented rather than taken for a plain GET/PUT. */
  private static final Set<String> UNSUPPORTED = Set.of("acl", "policy", "policyStatus", "cors", "lifecycle", "tagging",
      "encryption", "website", "logging", "notification", "replication", "object-lock", "retention",
      "legal-hold", "requestPayment", "accelerate", "analytics", "inventory", "metrics", "ownershipControls",
      "publicAccessBlock", "intelligent-tiering", "restore", "select", "torrent", "attributes");

  private final PortalLogin login;
  private final SigV4Verifier verifier;
  private final S3Buckets buckets;
  private final S3Objects objects;
  private final S3Multipart uploads;
  private static final java.util.concurrent.atomic.AtomicLong REQUEST_IDS = new java.util.concurrent.atomic.AtomicLong();

  S3Handler(PortalLogin login, Clock clock, MultipartStore multipart, String region) {
    this.login = login;
    this.verifier = new SigV4Verifier(login, clock);
    PutEtags etags = new PutEtags(10_000);
    this.buckets = new S3Buckets(etags, region);
    this.objects = new S3Objects(etags);
    this.uploads = new S3Multipart(multipart, objects);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    S3Exchange x = null;
    String requestId = Long.toHexString(REQUEST_IDS.incrementAndGet()) + Long.toHexString(System.nanoTime() & 0xffffff);
    response.getHeaders().put("x-amz-request-id", requestId);
    try {
      x = new S3Exchange(request, response);
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
      replyError(requestId, request, response, callback, x.fsError(e), x);
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

  private PortalFs session(S3Exchange x, InetSocketAddress remote) throws S3Exception {
    try {
      return login.s3Session(x.signed.credentials(), remote);
    } catch (LoginException e) {
      if (e.retryAfter().isPresent()) throw new SigV4Verifier.SlowDown(e.retryAfter().get());
      throw S3Exception.accessDenied("Access denied: " + e.getMessage());
    }
  }

  private static void route(S3Exchange x) throws S3Exception {
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

  private void dispatch(S3Exchange x) throws Exception {
    Map<String, String> q = x.params;
    if (x.bucket.isEmpty()) {
      if (x.method.equals("GET")) buckets.listBuckets(x);
      else throw methodNotAllowed();
      return;
    }
    if (x.key.isEmpty()) {
      switch (x.method) {
        case "GET" -> {
          if (q.containsKey("location")) buckets.location(x);
          else if (q.containsKey("uploads")) uploads.listUploads(x);
          else if (q.containsKey("versioning")) buckets.versioning(x);
          else if (q.containsKey("versions")) buckets.listVersions(x);
          else if ("2".equals(q.get("list-type"))) buckets.listObjects(x, true);
          else buckets.listObjects(x, false);
        }
        case "HEAD" -> buckets.headBucket(x);
        case "PUT" -> {
          if (!q.isEmpty()) throw S3Exception.notImplemented("PUT ?" + q.keySet().iterator().next());
          buckets.createBucket(x);
        }
        case "DELETE" -> buckets.deleteBucket(x);
        case "POST" -> {
          if (q.containsKey("delete")) objects.deleteObjects(x);
          else throw S3Exception.notImplemented("this POST on a bucket");
        }
        default -> throw methodNotAllowed();
      }
      return;
    }
    switch (x.method) {
      case "GET", "HEAD" -> {
        if (q.containsKey("uploadId") && x.method.equals("GET")) uploads.listParts(x);
        else objects.getObject(x);
      }
      case "PUT" -> {
        if (q.containsKey("uploadId")) uploads.uploadPart(x);
        else if (x.request.getHeaders().get("x-amz-copy-source") != null) objects.copyObject(x);
        else objects.putObject(x);
      }
      case "DELETE" -> {
        if (q.containsKey("uploadId")) uploads.abortUpload(x);
        else objects.deleteObject(x);
      }
      case "POST" -> {
        if (q.containsKey("uploads")) uploads.createUpload(x);
        else if (q.containsKey("uploadId")) uploads.completeUpload(x);
        else throw S3Exception.notImplemented("this POST on an object");
      }
      default -> throw methodNotAllowed();
    }
  }

  private static void replyError(String requestId, Request request, Response response, Callback callback, S3Exception e, S3Exchange x) {
    if (response.isCommitted()) {
      callback.failed(e);
      return;
    }
    if (e.status() >= 500) LOG.info("S3 {} {}: {} {}", request.getMethod(), request.getHttpURI().getPath(), e.code(), e.getMessage());
    else LOG.debug("S3 {} {}: {} {}", request.getMethod(), request.getHttpURI().getPath(), e.code(), e.getMessage());
    response.reset();
    response.getHeaders().put("x-amz-request-id", requestId);
    response.setStatus(e.status());
    if (e instanceof S3Objects.RangeException r) response.getHeaders().put("Content-Range", "bytes */" + r.size);
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
    if (x != null && !x.bodyRead()) response.getHeaders().put("Connection", "close");
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static S3Exception methodNotAllowed() {
    return new S3Exception(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  }
}
