package org.ecpds.portal.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.PortalFs;

/**
 * One S3 request: its parsed parts, the verified signature, the user's portal session, and the ways
 * to answer it. The bucket and key are set by the router; the session once the user is logged in.
 */
final class S3Exchange implements RequestView {
  final Request request;
  final Response response;
  final String method;
  final Map<String, String> params;
  String bucket = "";
  String key = "";
  SignedRequest signed;
  PortalFs fs;

  S3Exchange(Request request, Response response) throws S3Exception {
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

  /** Whether the client's body has been (or needs no) reading, so the connection can serve another request. */
  boolean bodyRead() {
    return method.equals("GET") || method.equals("HEAD");
  }

  /** The request's bucket as the user sees it; NoSuchBucket when the user cannot see it. */
  FsEntry bucketEntry() throws S3Exception {
    FsPath b = ObjectKeys.bucket(bucket);
    try {
      FsEntry e = fs.stat(b);
      if (e.directory()) return e;
    } catch (FsException e) {
      if (e.kind() != FsException.Kind.NOT_FOUND) throw fsError(e);
    }
    throw noSuchBucket();
  }

  /** The S3 reply for a portal refusal; NOT_FOUND is NoSuchBucket when the bucket itself is not visible. */
  S3Exception fsError(FsException e) {
    return switch (e.kind()) {
      case NOT_FOUND -> {
        if (fs == null || bucket.isEmpty()) yield noSuchBucket();
        try {
          bucketEntry();
          yield noSuchKey();
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

  static S3Exception noSuchBucket() {
    return new S3Exception(404, "NoSuchBucket", "The specified bucket does not exist");
  }

  static S3Exception noSuchKey() {
    return new S3Exception(404, "NoSuchKey", "The specified key does not exist.");
  }

  static S3Exception preconditionFailed() {
    return new S3Exception(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  }

  static String quote(String etag) {
    return "\"" + etag + "\"";
  }

  /** A small XML request body, read through the payload checks and capped. */
  byte[] xmlBody() throws Exception {
    try (PayloadStream body = PayloadStream.open(this, signed, Content.Source.asInputStream(request), S3Handler.MAX_XML_BODY)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      body.transferTo(out);
      return out.toByteArray();
    } catch (S3Exception e) {
      if ("EntityTooLarge".equals(e.code())) refusedXml();
      throw e;
    } catch (S3IOException e) {
      if ("EntityTooLarge".equals(e.reply().code())) refusedXml();
      throw e;
    }
  }

  private void refusedXml() {
    fs.refused("XML body larger than " + S3Handler.MAX_XML_BODY + " bytes in " + bucket);
  }

  /** A reply without body (Content-Length 0 unless already set). */
  void reply(int status) throws IOException {
    response.setStatus(status);
    if (status != 304 && !response.getHeaders().contains("Content-Length")) response.getHeaders().put("Content-Length", "0");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      // headers only
    }
  }

  void replyXml(int status, String xml) throws IOException {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.getHeaders().put("Content-Type", "application/xml");
    response.getHeaders().put("Content-Length", Integer.toString(body.length));
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      if (!head()) out.write(body);
    }
  }
}
