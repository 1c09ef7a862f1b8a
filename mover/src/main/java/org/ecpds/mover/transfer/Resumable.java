package org.ecpds.mover.transfer;

import java.io.InputStream;

/**
 * Optional capability of a {@link TransferModule} that can continue a put left unfinished by an
 * earlier attempt ("If Target Exists = Resume"). The partial copy is the module's temporary file
 * for the target (for example {@code .<name>.ecpds-tmp}), never the final name, so a resumed
 * file still appears only once complete.
 *
 * <p>The bytes already there are trusted as they are (no remote checksum of the prefix): the
 * source must be the same file as the one the earlier attempt sent.
 */
public interface Resumable {
  /** Bytes of the partial copy of {@code targetPath} left by an earlier put, 0 when there is none. */
  long partialSize(String targetPath) throws TransferException;

  /**
   * Writes {@code in} after the first {@code offset} bytes of the partial copy (0: replaces it),
   * then publishes under {@code targetPath} as {@link TransferModule#put} does. {@code in} starts
   * at byte {@code offset} of the file; {@code size} is the whole file's size (-1 when unknown).
   * Unlike {@code put}, a failure leaves the partial copy in place for the next attempt.
   * Progress reports bytes written in this call.
   *
   * @return the bytes written in this call
   */
  long resume(InputStream in, long size, long offset, String targetPath, ProgressListener progress)
      throws TransferException;
}
