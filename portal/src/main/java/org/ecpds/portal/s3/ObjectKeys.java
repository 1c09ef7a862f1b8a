package org.ecpds.portal.s3;

import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;

/**
 * Buckets and keys as portal paths: bucket D is the destination /D, key "a/b/c" is /D/a/b/c. A key
 * that a file system cannot hold the same way (empty, ".", ".." segments, a leading "/") is refused
 * rather than normalised, so that "../OTHER/x" in bucket D can never name a file of another destination.
 */
final class ObjectKeys {
  private ObjectKeys() {}

  static FsPath bucket(String bucket) throws S3Exception {
    try {
      return FsPath.ROOT.child(bucket);
    } catch (FsException e) {
      throw new S3Exception(400, "InvalidBucketName", "The specified bucket is not valid.");
    }
  }

  private static final java.util.regex.Pattern S3_BUCKET = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** S3's rules for a new bucket's name: 3-63 lower-case letters, digits, dots and hyphens, no IP address. */
  static boolean isS3BucketName(String name) {
    return S3_BUCKET.matcher(name).matches() && !IPV4.matcher(name).matches() && !name.contains("..")
        && !name.contains(".-") && !name.contains("-.");
  }

  /** The path of an object; a trailing "/" (a directory marker) names the directory. */
  static FsPath object(String bucket, String key) throws S3Exception {
    FsPath dir = bucket(bucket);
    String k = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
    if (k.isEmpty() || k.startsWith("/")) throw unaddressable(key);
    String[] segments = k.split("/", -1);
    for (String s : segments) {
      if (s.isEmpty() || s.equals(".") || s.equals("..")) throw unaddressable(key);
    }
    FsPath path;
    try {
      path = dir.resolve(k);
    } catch (FsException e) {
      throw unaddressable(key);
    }
    if (path.segments().size() != 1 + segments.length || !dir.contains(path)) throw unaddressable(key);
    return path;
  }

  private static S3Exception unaddressable(String key) {
    return S3Exception.invalidArgument("The object key cannot be stored in the data portal (empty, '.' or '..' segments, control characters or too long): "
        + key.replaceAll("\\p{Cntrl}", "?"));
  }
}
