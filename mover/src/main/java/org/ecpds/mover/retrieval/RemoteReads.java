package org.ecpds.mover.retrieval;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * The remote file on its way into the store: counts bytes, applies the fetch limits on every read,
 * and classifies a failing read as NETWORK (the source, not our disk, broke), unless the fetch was
 * aborted on purpose, whose reason wins.
 */
final class RemoteReads extends FilterInputStream {
  private final FetchLimits limits;
  private final LongConsumer progress;
  private final java.util.function.Supplier<TransferException> abortReason;
  private long count;

  RemoteReads(InputStream in, FetchLimits limits, LongConsumer progress,
      java.util.function.Supplier<TransferException> abortReason) {
    super(in);
    this.limits = limits;
    this.progress = progress;
    this.abortReason = abortReason;
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
      n = super.read(b, off, len);
    } catch (IOException e) {
      TransferException why = abortReason.get();
      if (why != null) throw why;
      if (e instanceof TransferException t) throw t;
      throw new TransferException(ErrorKind.NETWORK, "reading the source failed after " + count + " bytes: " + e, e);
    }
    if (n > 0) {
      count += n;
      progress.accept(count);
      var broken = limits.check(count); // not at the end: a complete file is never refused
      if (broken.isPresent()) throw broken.get();
    }
    return n;
  }
}
