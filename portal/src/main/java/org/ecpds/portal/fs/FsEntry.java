package org.ecpds.portal.fs;

/**
 * What {@link PortalFs#stat} and {@link PortalFs#list} return. {@code etag} is a strong validator: it
 * changes whenever the content at this path changes (a new data file), so HTTP, WebDAV and S3 can use it
 * as their ETag (quoted by the adapter). Directories have size 0 and a stable etag.
 */
public record FsEntry(FsPath path, boolean directory, long size, long modifiedMillis, String etag) {

  public String name() {
    return path.name();
  }
}
