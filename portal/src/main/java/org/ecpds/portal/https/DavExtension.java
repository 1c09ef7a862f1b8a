package org.ecpds.portal.https;

import java.io.IOException;
import org.ecpds.portal.fs.FsPath;

/**
 * What the WebDAV layer adds to the plain HTTPS methods on the same URLs: its own methods, and the
 * lock and If-header checks that guard a PUT. {@link #NONE} serves plain HTTPS only.
 */
public interface DavExtension {

  /** Handles OPTIONS, DELETE and the WebDAV methods; false when the method is not one of them. */
  boolean handle(HttpExchange x) throws IOException, HttpReply;

  /** Before a PUT to {@code target}: 412 when the If header fails, 423 when a lock is not held. */
  void beforePut(HttpExchange x, FsPath target, boolean creates) throws IOException, HttpReply;

  DavExtension NONE = new DavExtension() {
    @Override
    public boolean handle(HttpExchange x) {
      return false;
    }

    @Override
    public void beforePut(HttpExchange x, FsPath target, boolean creates) {}
  };
}
