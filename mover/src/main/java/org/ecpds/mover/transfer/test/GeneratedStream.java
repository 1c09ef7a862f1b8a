package org.ecpds.mover.transfer.test;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;
import org.ecpds.mover.transfer.TransferException;

/**
 * Deterministic bytes: the byte at position p depends on p only (a 64-bit mix of p/8), so any
 * offset is reached at once and a resumed read continues a full one exactly.
 */
final class GeneratedStream extends InputStream {
  private final long end;
  private final long failAt;
  private final LongFunction<TransferException> failure;
  private final TestModule.Throttle throttle;
  private final long start;
  private long pos;

  GeneratedStream(long offset, long size, long failAt, long rate, LongFunction<TransferException> failure) {
    this.pos = Math.min(offset, size);
    this.start = pos;
    this.end = size;
    this.failAt = failAt;
    this.failure = failure;
    this.throttle = new TestModule.Throttle(rate);
  }

  static byte byteAt(long p) {
    return (byte) (mix(p >>> 3) >>> ((p & 7) * 8));
  }

  private static long mix(long x) {
    long z = x * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (failAt >= 0 && pos >= failAt) throw failure.apply(pos);
    long stop = failAt >= 0 ? Math.min(end, failAt) : end;
    if (pos >= stop) return -1;
    int n = (int) Math.min(len, stop - pos);
    int i = 0;
    while (i < n && ((pos + i) & 7) != 0) {
      b[off + i] = byteAt(pos + i);
      i++;
    }
    for (; i + 8 <= n; i += 8) { // whole words: one mix per 8 bytes
      long w = mix((pos + i) >>> 3);
      for (int k = 0; k < 8; k++) b[off + i + k] = (byte) (w >>> (k * 8));
    }
    for (; i < n; i++) b[off + i] = byteAt(pos + i);
    pos += n;
    throttle.pace(pos - start);
    return n;
  }

  @Override
  public long skip(long n) {
    long s = Math.max(0, Math.min(n, end - pos));
    pos += s;
    return s;
  }
}
