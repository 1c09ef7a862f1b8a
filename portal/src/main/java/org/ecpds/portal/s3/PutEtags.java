package org.ecpds.portal.s3;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsPath;

/**
 * The ETags this server answered to recent PUTs (the MD5 of what was sent, or S3's multipart form),
 * so that a GET, HEAD or listing of the same, unchanged content shows the same ETag and conditional
 * requests with it work (put, then get If-Match); for a multipart upload, also its parts' sizes (GetObject
 * partNumber). Whenever the portal's own etag for the path changed,
 * or the entry was forgotten (bounded, lost at restart, per mover), the portal's etag is used.
 */
final class PutEtags {
  /** @param partSizes the sizes of the parts a multipart upload was completed with, else null */
  private record Known(String portalEtag, String s3Etag, long[] partSizes) {}

  private final int max;
  private final Map<FsPath, Known> known;

  PutEtags(int max) {
    this.max = max;
    this.known = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<FsPath, Known> eldest) {
        return size() > PutEtags.this.max;
      }
    };
  }

  synchronized void remember(FsEntry committed, String s3Etag) {
    known.put(committed.path(), new Known(committed.etag(), s3Etag, null));
  }

  /** A completed multipart upload: its ETag and its parts' sizes, for GetObject's partNumber. */
  synchronized void rememberMultipart(FsEntry committed, String s3Etag, long[] partSizes) {
    known.put(committed.path(), new Known(committed.etag(), s3Etag, partSizes.clone()));
  }

  /** The part sizes of an unchanged object that this server completed as a multipart upload, else null. */
  synchronized long[] partSizes(FsEntry e) {
    Known k = known.get(e.path());
    return k != null && k.portalEtag().equals(e.etag()) && k.partSizes() != null ? k.partSizes().clone() : null;
  }

  /** The ETag (unquoted) to show for an entry. */
  synchronized String of(FsEntry e) {
    Known k = known.get(e.path());
    return k != null && k.portalEtag().equals(e.etag()) ? k.s3Etag() : e.etag();
  }
}
