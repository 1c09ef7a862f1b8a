package org.ecpds.mover.transfer;

import java.io.IOException;
import java.io.InputStream;
import org.ecpds.proto.ErrorKind;

/**
 * The caller's data on its way into an upload: counts and reports progress, turns the source's
 * own failures into LOCAL errors, and, when the size is declared (size >= 0; SCP sends it up
 * front), ends exactly there: a short source must fail rather than leave the remote side waiting
 * for bytes, and a longer one fails when the end is asked for. With size -1 it just passes the
 * data through (SFTP reads it straight into MINA's write buffers).
 */
public final class SourceStream extends InputStream {
  private final InputStream in;
  private final long size;
  private final ProgressListener progress;
  private long count;

  public SourceStream(InputStream in, long size, ProgressListener progress) {
    this.in = in;
    this.size = size;
    this.progress = progress;
  }

  public long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    int want = size < 0 ? len : (int) Math.min(len, size - count);
    if (want == 0) {
      // checked before the end is reported, so a longer source fails the copy before scp's final
      // OK byte is sent (the publishing "&& mv" in the same command then never runs)
      expectEnd();
      return -1;
    }
    int n;
    try {
      n = in.read(b, off, want);
    } catch (IOException e) {
      throw Sources.unreadable(e);
    }
    if (n < 0) {
      if (size >= 0) throw new TransferException(ErrorKind.LOCAL, "source gave " + count + " bytes, expected " + size);
      return -1;
    }
    count += n;
    progress.transferred(count);
    return n;
  }

  /** At the declared size: the source must be exhausted too. */
  private void expectEnd() throws TransferException {
    try {
      if (in.read() >= 0) throw new TransferException(ErrorKind.LOCAL, "source gave more than the expected " + size + " bytes");
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw Sources.unreadable(e);
    }
  }
}
