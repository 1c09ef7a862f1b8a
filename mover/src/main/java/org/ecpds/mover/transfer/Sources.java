package org.ecpds.mover.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.ecpds.proto.ErrorKind;

/** Reading the caller's data for an upload: a failing source is our side's problem, not the remote host's, so it is LOCAL. */
public final class Sources {
  private Sources() {}

  /** The LOCAL failure for a source that cannot be read. */
  public static TransferException unreadable(IOException e) {
    return new TransferException(ErrorKind.LOCAL, "cannot read the source: " + e.getMessage(), e);
  }

  /** Fills {@code buf} unless the source ends first (full chunks: few large writes); 0 only at the end. */
  public static int fill(InputStream in, byte[] buf) throws TransferException {
    try {
      return in.readNBytes(buf, 0, buf.length);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * Copies the source to {@code out} in full chunks of {@code bufferSize}, reporting progress;
   * returns the byte count. A failing source is LOCAL; a failing {@code out} is thrown as it is.
   */
  public static long copy(InputStream in, OutputStream out, int bufferSize, ProgressListener progress) throws IOException {
    byte[] buf = new byte[bufferSize];
    long total = 0;
    int n;
    while ((n = fill(in, buf)) > 0) {
      out.write(buf, 0, n);
      total += n;
      progress.transferred(total);
    }
    return total;
  }
}
