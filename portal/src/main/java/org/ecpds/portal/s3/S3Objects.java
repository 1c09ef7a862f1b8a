package org.ecpds.portal.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.FsUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** S3's object operations (get, head, put, copy, delete) over the user's portal session. */
final class S3Objects {
  private static final Logger LOG = LoggerFactory.getLogger(S3Objects.class);
  private static final int BUFFER = 64 * 1024;
  static final java.util.regex.Pattern COPY_RANGE = java.util.regex.Pattern.compile("bytes=(\\d{1,18})-(\\d{1,18})");
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  final PutEtags etags;

  S3Objects(PutEtags etags) {
    this.etags = etags;
  }


  void getObject(S3Exchange x) throws Exception {
    FsPath path = ObjectKeys.object(x.bucket, x.key);
    FsEntry entry = statFile(x, path);
    HttpFields h = x.request.getHeaders();
    Integer part = x.params.containsKey("partNumber") ? S3Multipart.partNumber(x.params.get("partNumber")) : null;
    if (part != null && h.get("Range") != null) throw S3Exception.invalidRequest("Cannot specify both Range header and partNumber query parameter");
    Conditions.Outcome c = Conditions.evaluate(h.get("If-Match"), h.get("If-None-Match"), h.get("If-Modified-Since"),
        h.get("If-Unmodified-Since"), S3Exchange.quote(etags.of(entry)), entry.modifiedMillis());
    if (c == Conditions.Outcome.FAILED) throw S3Exchange.preconditionFailed();
    if (c == Conditions.Outcome.NOT_MODIFIED) {
      objectHeaders(x, entry);
      x.reply(304);
      return;
    }
    if (x.head()) {
      long[] range = part != null ? partRange(x, entry, part) : range(h.get("Range"), entry.size());
      objectHeaders(x, entry);
      sendRangeHeaders(x, range, entry.size());
      x.reply(range == null ? 200 : 206);
      return;
    }
    try (FsReader reader = x.fs.read(path)) {
      FsEntry e = reader.entry();
      long[] range = part != null ? partRange(x, e, part) : range(h.get("Range"), e.size());
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

  /**
   * The bytes of part n of an object as its multipart upload was completed (with x-amz-mp-parts-count),
   * null for the whole object; an object put in one piece is its own part 1. The part layout is known
   * while its multipart ETag is (see {@link PutEtags}).
   */
  private long[] partRange(S3Exchange x, FsEntry e, int n) throws S3Exception {
    long[] sizes = etags.partSizes(e);
    if (sizes == null) {
      if (n != 1) throw invalidPart();
      return null;
    }
    if (n > sizes.length) throw invalidPart();
    x.response.getHeaders().put("x-amz-mp-parts-count", Integer.toString(sizes.length));
    long first = 0;
    for (int i = 0; i < n - 1; i++) first += sizes[i];
    return sizes[n - 1] == 0 ? new long[] {first, first - 1} : new long[] {first, first + sizes[n - 1] - 1};
  }

  private static S3Exception invalidPart() {
    return new S3Exception(400, "InvalidPart", "The requested partnumber is not satisfiable");
  }

  private void sendRangeHeaders(S3Exchange x, long[] range, long size) {
    HttpFields.Mutable r = x.response.getHeaders();
    if (range == null) {
      r.put("Content-Length", Long.toString(size));
    } else if (range[1] < range[0]) {
      r.put("Content-Length", "0"); // an empty last part
    } else {
      r.put("Content-Length", Long.toString(range[1] - range[0] + 1));
      r.put("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    }
  }

  private void objectHeaders(S3Exchange x, FsEntry e) {
    HttpFields.Mutable r = x.response.getHeaders();
    r.put("ETag", S3Exchange.quote(etags.of(e)));
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

  static S3Exception invalidRange(long size) {
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

  FsEntry statFile(S3Exchange x, FsPath path) throws Exception {
    FsEntry e = x.fs.stat(path);
    if (e.directory()) throw S3Exchange.noSuchKey();
    return e;
  }

  void putObject(S3Exchange x) throws Exception {
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
        x.response.getHeaders().put("ETag", S3Exchange.quote(body.md5Hex()));
      }
      x.reply(200);
      return;
    }
    checkWriteConditions(x, path);
    Map<String, String> metadata = ObjectMetadata.fromRequest(x.request.getHeaders());
    try (FsUpload upload = openUpload(x, path);
        PayloadStream body = PayloadStream.open(x, x.signed, Content.Source.asInputStream(x.request), S3Handler.MAX_OBJECT)) {
      copy(body, upload);
      checkWriteConditions(x, path); // again: another writer may have replaced the object meanwhile
      FsEntry committed = upload.commit(metadata);
      etags.remember(committed, body.md5Hex());
      keepClientMtime(x, path);
      x.response.getHeaders().put("ETag", S3Exchange.quote(body.md5Hex()));
    }
    x.reply(200);
  }

  /**
   * rclone sends the source file's modification time as x-amz-meta-mtime (seconds, with a fraction); the
   * portal keeps modification times, so the file gets it when the user may set them (MTIME), and rclone
   * then sees its file unchanged instead of copying it again. Otherwise the upload time stays.
   */
  private static void keepClientMtime(S3Exchange x, FsPath path) {
    keepClientMtime(x, path, x.header("x-amz-meta-mtime"));
  }

  static void keepClientMtime(S3Exchange x, FsPath path, String mtime) {
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
   * Checked before the upload starts (no gigabytes sent in vain) and again just before its commit; the
   * portal offers no compare-and-swap, so two writers that commit within that last moment can both pass.
   */
  void checkWriteConditions(S3Exchange x, FsPath path) throws Exception {
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
    if (ifNoneMatch != null && existing != null && Conditions.matches(ifNoneMatch, S3Exchange.quote(etags.of(existing)))) {
      throw S3Exchange.preconditionFailed();
    }
    if (ifMatch != null) {
      if (existing == null) throw S3Exchange.noSuchKey();
      if (!Conditions.matches(ifMatch, S3Exchange.quote(etags.of(existing)))) {
        throw S3Exchange.preconditionFailed();
      }
    }
  }

  /** Starts an upload; the key's directories come with it (S3 has no directories: PUT is all it needs). */
  FsUpload openUpload(S3Exchange x, FsPath path) throws Exception {
    try {
      return x.fs.writeWithParents(path);
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND) x.bucketEntry();
      throw e;
    }
  }

  private static void mkdirs(S3Exchange x, FsPath dir) throws FsException {
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

  static void copy(InputStream in, FsUpload upload) throws IOException {
    byte[] buf = new byte[BUFFER];
    int n;
    while ((n = in.read(buf)) >= 0) {
      ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
      while (b.hasRemaining()) upload.write(b);
    }
  }

  /** The source of a copy: x-amz-copy-source is "bucket/key" or "/bucket/key", URL-encoded. */
  static FsPath copySource(S3Exchange x) throws S3Exception {
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

  void checkCopyConditions(S3Exchange x, FsEntry source) throws S3Exception {
    HttpFields h = x.request.getHeaders();
    Conditions.Outcome c = Conditions.evaluate(h.get("x-amz-copy-source-if-match"), h.get("x-amz-copy-source-if-none-match"),
        h.get("x-amz-copy-source-if-modified-since"), h.get("x-amz-copy-source-if-unmodified-since"),
        S3Exchange.quote(etags.of(source)), source.modifiedMillis());
    if (c != Conditions.Outcome.PROCEED) throw S3Exchange.preconditionFailed();
  }

  void copyObject(S3Exchange x) throws Exception {
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
      x.replyXml(200, S3Xml.document("CopyObjectResult").element("LastModified", S3Xml.date(src.modifiedMillis()))
          .element("ETag", S3Exchange.quote(etags.of(src))).end("CopyObjectResult"));
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
    x.replyXml(200, S3Xml.document("CopyObjectResult").element("LastModified", S3Xml.date(written.modifiedMillis()))
        .element("ETag", S3Exchange.quote(md5Hex)).end("CopyObjectResult"));
  }

  void deleteObject(S3Exchange x) throws Exception {
    FsPath path = ObjectKeys.object(x.bucket, x.key);
    Conditions.Delete condition = Conditions.Delete.parse(x.header("If-Match"), x.header("x-amz-if-match-last-modified-time"),
        x.header("x-amz-if-match-size"));
    deleteOne(x, path, x.key.endsWith("/"), condition);
    x.reply(204);
  }

  /**
   * S3 deletes are idempotent: a key that is not there (or is a directory) is "deleted" too, whatever its
   * conditions. A conditional delete is checked just before the delete; like conditional writes it is no
   * compare-and-swap, so a change in between is not seen.
   */
  private void deleteOne(S3Exchange x, FsPath path, boolean directoryMarker, Conditions.Delete condition) throws Exception {
    if (!directoryMarker && !condition.none()) {
      FsEntry e;
      try {
        e = x.fs.stat(path);
      } catch (FsException ex) {
        if (ex.kind() != FsException.Kind.NOT_FOUND && ex.kind() != FsException.Kind.NOT_DIRECTORY) throw ex;
        x.bucketEntry();
        return;
      }
      if (e.directory()) return;
      if (!condition.holds(S3Exchange.quote(etags.of(e)), e.modifiedMillis(), e.size())) throw S3Exchange.preconditionFailed();
    }
    try {
      if (directoryMarker) x.fs.rmdir(path);
      else x.fs.delete(path);
    } catch (FsException e) {
      switch (e.kind()) {
        case NOT_FOUND, IS_DIRECTORY, NOT_DIRECTORY, NOT_EMPTY -> x.bucketEntry();
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
  private static void removeEmptyParents(S3Exchange x, FsPath dir) {
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

  void deleteObjects(S3Exchange x) throws Exception {
    x.bucketEntry();
    org.w3c.dom.Element root = S3Xml.parse(x.xmlBody());
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
        Conditions.Delete condition = Conditions.Delete.parse(S3Xml.childText(o, "ETag"), S3Xml.childText(o, "LastModifiedTime"),
            S3Xml.childText(o, "Size"));
        deleteOne(x, ObjectKeys.object(x.bucket, key), key.endsWith("/"), condition);
        if (!quiet) xml.open("Deleted").element("Key", key).close("Deleted");
      } catch (S3Exception | FsException e) {
        S3Exception s = e instanceof S3Exception se ? se : x.fsError((FsException) e);
        xml.open("Error").element("Key", key).element("Code", s.code()).element("Message", s.getMessage()).close("Error");
      }
    }
    x.replyXml(200, xml.end("DeleteResult"));
  }
}
