package org.ecpds.portal.s3;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.fs.FsUpload;

/**
 * S3's multipart uploads: parts wait in the {@link MultipartStore} until the client completes the
 * upload, which then becomes one write to the portal (so a data file appears only when it is whole).
 */
final class S3Multipart {
  static final long MIN_PART = 5L * 1024 * 1024;

  private final MultipartStore multipart;
  private final S3Objects objects;
  /** Replies to recent multipart completions, by user, bucket, key and upload id. */
  private final Map<String, String> completed = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > 1000;
    }
  });

  S3Multipart(MultipartStore multipart, S3Objects objects) {
    this.multipart = multipart;
    this.objects = objects;
  }


  void createUpload(S3Exchange x) throws Exception {
    FsPath path = ObjectKeys.object(x.bucket, x.key);
    if (x.key.endsWith("/")) throw S3Exception.invalidArgument("a multipart upload needs an object key");
    x.bucketEntry();
    // advisory only (the write at completion is what the portal checks): saves sending gigabytes in vain
    if (!x.fs.allowed(org.ecpds.portal.fs.FsPermission.PUT, path)) throw S3Exception.accessDenied("Access Denied");
    MultipartStore.Upload u = multipart.create(x.fs.user(), x.bucket, x.key, path);
    u.clientMtime = x.header("x-amz-meta-mtime");
    u.metadata = ObjectMetadata.fromRequest(x.request.getHeaders());
    x.replyXml(200, S3Xml.document("InitiateMultipartUploadResult").element("Bucket", x.bucket).element("Key", x.key)
        .element("UploadId", u.id).end("InitiateMultipartUploadResult"));
  }

  static int partNumber(String value) throws S3Exception {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= 10000) return n;
    } catch (NumberFormatException e) {
      // answered below
    }
    throw S3Exception.invalidArgument("Part number must be an integer between 1 and 10000, inclusive");
  }

  void uploadPart(S3Exchange x) throws Exception {
    MultipartStore.Upload u = multipart.get(x.params.get("uploadId"), x.fs.user(), x.bucket, x.key);
    int number = partNumber(x.params.get("partNumber"));
    String copySource = x.request.getHeaders().get("x-amz-copy-source");
    if (copySource != null) {
      uploadPartCopy(x, u, number);
      return;
    }
    try (PayloadStream body = PayloadStream.open(x, x.signed, Content.Source.asInputStream(x.request), S3Handler.MAX_OBJECT)) {
      MultipartStore.Part p = multipart.putPart(u, number, body, body::md5Hex);
      x.response.getHeaders().put("ETag", S3Exchange.quote(p.md5Hex()));
    }
    x.reply(200);
  }

  private void uploadPartCopy(S3Exchange x, MultipartStore.Upload u, int number) throws Exception {
    FsPath source = objects.copySource(x);
    FsEntry src = objects.statFile(x, source);
    objects.checkCopyConditions(x, src);
    long[] r = null;
    String rangeHeader = x.request.getHeaders().get("x-amz-copy-source-range");
    if (rangeHeader != null) {
      r = objects.range(rangeHeader, src.size());
      if (r == null) throw S3Exception.invalidArgument("x-amz-copy-source-range must be bytes=first-last");
      // unlike a GET's Range, a copy range is not clamped: its last byte must exist
      java.util.regex.Matcher m = S3Objects.COPY_RANGE.matcher(rangeHeader.trim());
      if (m.matches() && Long.parseLong(m.group(2)) >= src.size()) throw objects.invalidRange(src.size());
    }
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    MultipartStore.Part p;
    try (FsReader reader = x.fs.read(source);
        InputStream in = new java.security.DigestInputStream(
            r == null ? reader.stream(0, src.size()) : reader.stream(r[0], r[1] - r[0] + 1), md5)) {
      p = multipart.putPart(u, number, in, () -> SigV4.hex(md5.digest()));
    }
    x.replyXml(200, S3Xml.document("CopyPartResult").element("LastModified", S3Xml.date(p.modifiedMillis()))
        .element("ETag", S3Exchange.quote(p.md5Hex())).end("CopyPartResult"));
  }

  void completeUpload(S3Exchange x) throws Exception {
    MultipartStore.Upload u;
    try {
      u = multipart.get(x.params.get("uploadId"), x.fs.user(), x.bucket, x.key);
    } catch (S3Exception e) {
      // a client that retries a completion whose reply it lost gets the same answer again
      String done = completed.get(x.fs.user() + "\n" + x.bucket + "\n" + x.key + "\n" + x.params.get("uploadId"));
      if (done == null) throw e;
      x.replyXml(200, done);
      return;
    }
    org.w3c.dom.Element root = S3Xml.parse(x.xmlBody());
    if (!"CompleteMultipartUpload".equals(S3Xml.localName(root))) throw S3Exception.malformedXml("expected <CompleteMultipartUpload>");
    List<org.w3c.dom.Element> listed = S3Xml.children(root, "Part");
    if (listed.isEmpty()) throw S3Exception.malformedXml("no <Part>");
    // a part sent twice and listed with both ETags (RGW accepts it): the later entry names the part
    Map<Integer, String> chosen = new java.util.LinkedHashMap<>();
    int previous = 0;
    for (org.w3c.dom.Element e : listed) {
      String n = S3Xml.childText(e, "PartNumber");
      String etag = S3Xml.childText(e, "ETag");
      if (n == null || etag == null) throw S3Exception.malformedXml("a <Part> needs <PartNumber> and <ETag>");
      int number = partNumber(n);
      if (number < previous) throw new S3Exception(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
      previous = number;
      chosen.put(number, etag);
    }
    List<MultipartStore.Part> parts = new java.util.ArrayList<>();
    for (Map.Entry<Integer, String> c : chosen.entrySet()) {
      MultipartStore.Part p = u.parts.get(c.getKey());
      if (p == null || !Conditions.unquote(c.getValue()).equalsIgnoreCase(p.md5Hex())) {
        throw new S3Exception(400, "InvalidPart", "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.");
      }
      parts.add(p);
    }
    for (int i = 0; i < parts.size() - 1; i++) {
      if (parts.get(i).size() < MIN_PART) throw new S3Exception(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
    }
    objects.checkWriteConditions(x, u.path);
    MessageDigest md5s = MessageDigest.getInstance("MD5");
    FsEntry committed;
    try (FsUpload upload = objects.openUpload(x, u.path)) {
      for (MultipartStore.Part p : parts) {
        md5s.update(HexFormat.of().parseHex(p.md5Hex()));
        try (InputStream in = Files.newInputStream(p.file())) {
          objects.copy(in, upload);
        }
      }
      objects.checkWriteConditions(x, u.path); // again: another writer may have replaced the object meanwhile
      committed = upload.commit(u.metadata);
    }
    multipart.remove(u);
    String etag = SigV4.hex(md5s.digest()) + "-" + parts.size();
    objects.etags.rememberMultipart(committed, etag, parts.stream().mapToLong(MultipartStore.Part::size).toArray());
    objects.keepClientMtime(x, u.path, u.clientMtime);
    String result = S3Xml.document("CompleteMultipartUploadResult").element("Location", "/" + x.bucket + "/" + x.key)
        .element("Bucket", x.bucket).element("Key", x.key).element("ETag", S3Exchange.quote(etag)).end("CompleteMultipartUploadResult");
    completed.put(x.fs.user() + "\n" + x.bucket + "\n" + x.key + "\n" + u.id, result);
    x.replyXml(200, result);
  }

  void abortUpload(S3Exchange x) throws Exception {
    multipart.remove(multipart.get(x.params.get("uploadId"), x.fs.user(), x.bucket, x.key));
    x.reply(204);
  }

  void listParts(S3Exchange x) throws Exception {
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
          .element("ETag", S3Exchange.quote(p.md5Hex())).element("Size", p.size()).close("Part");
    }
    x.replyXml(200, xml.end("ListPartsResult"));
  }

  void listUploads(S3Exchange x) throws Exception {
    x.bucketEntry();
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
    x.replyXml(200, xml.end("ListMultipartUploadsResult"));
  }
}
