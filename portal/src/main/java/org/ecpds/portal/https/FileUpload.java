package org.ecpds.portal.https;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.ecpds.portal.fs.FsEntry;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.FsPath;

/**
 * PUT: the body streams into an {@link FsUpload} that is committed only after the last byte arrived;
 * a client that hangs up half way leaves nothing behind. {@code Expect: 100-continue} is answered by
 * Jetty when the body is first read, i.e. after authentication and all checks passed.
 */
final class FileUpload {
  private static final int BUFFER = 256 * 1024;

  private FileUpload() {}

  static FsEntry statOrNull(PortalFs fs, FsPath path) throws FsException {
    try {
      return fs.stat(path);
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND) return null;
      throw e;
    }
  }

  static void put(HttpExchange x, DavExtension dav) throws IOException, HttpReply {
    if (x.header("Content-Range") != null) throw new HttpReply(400, "a PUT with Content-Range (partial update) is not supported");
    FsEntry existing = statOrNull(x.fs(), x.path());
    if (existing != null && existing.directory()) throw new HttpReply(405, "a directory exists at " + x.path());
    if (Preconditions.evaluate(x.headers(), existing, false) != Preconditions.Outcome.PROCEED) {
      throw new HttpReply(412, "precondition failed");
    }
    dav.beforePut(x, x.path(), existing == null);
    FsUpload upload;
    try {
      upload = x.fs().write(x.path());
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND || e.kind() == FsException.Kind.NOT_DIRECTORY) {
        throw new HttpReply(409, "the parent directory does not exist: " + x.path().parent());
      }
      throw e;
    }
    FsEntry stored;
    try (upload; InputStream in = x.body()) {
      byte[] buffer = new byte[BUFFER];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) upload.write(chunk);
      }
      stored = upload.commit();
    }
    x.setHeader("ETag", Preconditions.etag(stored));
    if (existing == null) {
      x.setHeader("Location", RequestPaths.href(x.path(), false));
      x.send(201, "text/plain; charset=utf-8", "201 Created\n");
    } else {
      x.sendEmpty(204);
    }
  }
}
