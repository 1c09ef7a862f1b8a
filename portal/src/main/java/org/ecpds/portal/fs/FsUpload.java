package org.ecpds.portal.fs;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Map;

/**
 * An upload in progress: bytes are written sequentially to a temporary file in the mover's store.
 * Nothing is visible until {@link #commit}: the file is synced, published, and registered in the
 * destination as a CLI push would be (aliases, transfers, dissemination); an existing file at the same
 * path is replaced. {@link #close} without a commit discards everything written (a client that hung up
 * half way leaves nothing behind).
 */
public interface FsUpload extends WritableByteChannel {

  FsPath path();

  /** Bytes written so far. */
  long written();

  /** Publishes the upload and returns what now stands at the path. Idempotent after success. */
  default FsEntry commit() throws IOException {
    return commit(Map.of());
  }

  /**
   * Publishes the upload with the data file's metadata (for example the S3 object's user metadata and
   * content headers); the master refuses metadata larger than a data file can hold.
   */
  FsEntry commit(Map<String, String> metadata) throws IOException;
}
