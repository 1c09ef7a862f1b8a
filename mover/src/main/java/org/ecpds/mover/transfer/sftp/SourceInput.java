package org.ecpds.mover.transfer.sftp;

import java.io.IOException;
import java.io.InputStream;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.Sources;

/**
 * The caller's data read straight into MINA's write buffers ({@code transferFrom}: one copy less
 * than writing from a buffer of our own): counts and reports progress, and makes a failing source
 * LOCAL, as {@link Sources#copy} does.
 */
final class SourceInput extends InputStream {
  private final InputStream in;
  private final ProgressListener progress;
  private long count;

  SourceInput(InputStream in, ProgressListener progress) {
    this.in = in;
    this.progress = progress;
  }

  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = in.read(b, off, len);
    } catch (IOException e) {
      throw Sources.unreadable(e);
    }
    if (n > 0) {
      count += n;
      progress.transferred(count);
    }
    return n;
  }
}
