package org.ecpds.portal.s3;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;

/**
 * S3's bucket operations over the portal: buckets are the destinations the user may see (made and
 * removed by operators), objects are listed from the destination's tree.
 */
final class S3Buckets {
  private final PutEtags etags;
  private final String region;

  S3Buckets(PutEtags etags, String region) {
    this.etags = etags;
    this.region = region;
  }

  /** AWS's largest ListBuckets page (max-buckets). */
  static final int MAX_BUCKETS = 10_000;

  /** ListBuckets: the destinations the user may see, paged as AWS does (max-buckets, continuation-token, prefix). */
  void listBuckets(S3Exchange x) throws Exception {
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
    x.replyXml(200, xml.end("ListAllMyBucketsResult"));
  }

  void headBucket(S3Exchange x) throws Exception {
    x.bucketEntry();
    x.response.getHeaders().put("x-amz-bucket-region", region);
    x.reply(200);
  }

  void location(S3Exchange x) throws Exception {
    x.bucketEntry();
    // S3 spells us-east-1 as an empty constraint
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" + S3Xml.NS + "\">"
        + ("us-east-1".equals(region) ? "" : region) + "</LocationConstraint>";
    x.replyXml(200, body);
  }

  void versioning(S3Exchange x) throws Exception {
    x.bucketEntry();
    x.replyXml(200, S3Xml.document("VersioningConfiguration").end("VersioningConfiguration"));
  }

  /**
   * Buckets are destinations, made by operators: the portal refuses mkdir of a destination (AccessDenied)
   * and answers EXISTS for one the user already sees, which S3 spells BucketAlreadyOwnedByYou (rclone
   * and s3cmd create the bucket before a put and accept that answer).
   */
  void createBucket(S3Exchange x) throws Exception {
    // destination names need not follow S3's bucket rules: only a name the user cannot see is checked
    if (!ObjectKeys.isS3BucketName(x.bucket) && !visible(x)) {
      throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
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
    x.reply(200);
  }

  private static boolean visible(S3Exchange x) {
    try {
      x.bucketEntry();
      return true;
    } catch (S3Exception e) {
      return false;
    }
  }

  void deleteBucket(S3Exchange x) throws Exception {
    try {
      x.fs.rmdir(ObjectKeys.bucket(x.bucket));
    } catch (FsException e) {
      switch (e.kind()) {
        case NOT_FOUND -> throw S3Exchange.noSuchBucket();
        case NOT_EMPTY -> throw new S3Exception(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
        case DENIED -> throw S3Exception.accessDenied("Buckets are the portal's destinations; they are removed by operators");
        default -> throw e;
      }
    }
    x.reply(204);
  }

  void listObjects(S3Exchange x, boolean v2) throws Exception {
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
      if (e.kind() == FsException.Kind.NOT_FOUND || e.kind() == FsException.Kind.NOT_DIRECTORY) throw S3Exchange.noSuchBucket();
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
          .element("ETag", S3Exchange.quote(etags.of(i.entry()))).element("Size", i.entry().size()).element("StorageClass", "STANDARD");
      if (!v2 || "true".equals(q.get("fetch-owner"))) {
        xml.open("Owner").element("ID", x.fs.user()).element("DisplayName", x.fs.user()).close("Owner");
      }
      xml.close("Contents");
    }
    for (String p : page.commonPrefixes()) xml.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    x.replyXml(200, xml.end(root));
  }

  /** ListObjectVersions of an unversioned bucket: each object once, as version "null". */
  void listVersions(S3Exchange x) throws Exception {
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
      if (e.kind() == FsException.Kind.NOT_FOUND || e.kind() == FsException.Kind.NOT_DIRECTORY) throw S3Exchange.noSuchBucket();
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
          .element("LastModified", S3Xml.date(i.entry().modifiedMillis())).element("ETag", S3Exchange.quote(etags.of(i.entry())))
          .element("Size", i.entry().size()).element("StorageClass", "STANDARD")
          .open("Owner").element("ID", x.fs.user()).element("DisplayName", x.fs.user()).close("Owner").close("Version");
    }
    for (String p : page.commonPrefixes()) xml.open("CommonPrefixes").element("Prefix", enc(p, url)).close("CommonPrefixes");
    x.replyXml(200, xml.end("ListVersionsResult"));
  }

  private static String enc(String s, boolean url) {
    return url ? SigV4.encode(s, true) : s;
  }
}
