package org.ecpds.portal.fs;

import java.util.Map;

/**
 * What {@link PortalFs#stat} and {@link PortalFs#list} return. {@code etag} is a strong validator: it
 * changes whenever the content at this path changes (a new data file), so HTTP, WebDAV and S3 can use it
 * as their ETag (quoted by the adapter). Directories have size 0 and a stable etag. {@code metadata} is
 * the data file's (key/value pairs set by a push or an upload, see {@link FsUpload#commit(Map)}), empty
 * for directories.
 */
public record FsEntry(FsPath path, boolean directory, long size, long modifiedMillis, String etag,
    Map<String, String> metadata) {

  public FsEntry {
    metadata = Map.copyOf(metadata);
  }

  public FsEntry(FsPath path, boolean directory, long size, long modifiedMillis, String etag) {
    this(path, directory, size, modifiedMillis, etag, Map.of());
  }

  public String name() {
    return path.name();
  }
}
