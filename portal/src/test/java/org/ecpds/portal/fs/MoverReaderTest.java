package org.ecpds.portal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Reads through a plain (non-file) channel: positional reads, bounds, accounting once. */
class MoverReaderTest {
  private final AtomicInteger downloads = new AtomicInteger();
  private final List<Long> partials = new CopyOnWriteArrayList<>();

  private MoverReader reader(byte[] data, long announced) throws FsException {
    return new MoverReader(new FsEntry(FsPath.parse("/d/f"), false, announced, 0, "x"), new InMemoryChannel(data),
        downloads::incrementAndGet, partials::add);
  }

  @Test
  void onlyCompleteReadsAreReportedAndOnlyOnce() throws IOException {
    byte[] data = "0123456789".getBytes();
    MoverReader whole = reader(data, 10);
    ByteBuffer buf = ByteBuffer.allocate(4);
    for (long pos = 8; pos >= 0; pos -= 4) whole.read(buf.clear(), Math.max(0, pos));
    assertThat(whole.read(buf.clear(), 10)).isEqualTo(-1);
    whole.close();
    whole.close();
    MoverReader partial = reader(data, 10);
    partial.read(ByteBuffer.allocate(10), 5);
    partial.close();
    assertThat(downloads.get()).isEqualTo(1);
    assertThat(partials).as("the whole download is not also a partial one").containsExactly(5L);
  }

  /** Ranges and interrupted reads count what was handed out (a range read twice counts twice); nothing read, nothing counted. */
  @Test
  void partialReadsReportTheBytesHandedOut() throws IOException {
    byte[] data = "0123456789".getBytes();
    MoverReader ranges = reader(data, 10);
    ranges.read(ByteBuffer.allocate(3), 2);
    ranges.read(ByteBuffer.allocate(3), 2);
    ranges.read(ByteBuffer.allocate(100), 8);
    ranges.close();
    ranges.close();
    reader(data, 10).close();
    assertThat(partials).containsExactly(8L);
    assertThat(downloads.get()).isZero();
  }

  @Test
  void aStoreShorterThanAnnouncedFailsLoudly() throws IOException {
    MoverReader r = reader("0123".getBytes(), 10);
    assertThatThrownBy(() -> r.read(ByteBuffer.allocate(10), 4)).isInstanceOf(EOFException.class);
    r.close();
    assertThat(downloads.get()).isZero();
  }

  /** A non-file channel, to exercise the position-then-read path. */
  private static final class InMemoryChannel implements SeekableByteChannel {
    private final byte[] data;
    private int position;

    InMemoryChannel(byte[] data) {
      this.data = data;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= data.length) return -1;
      int n = Math.min(dst.remaining(), data.length - position);
      dst.put(data, position, n);
      position += n;
      return n;
    }

    @Override public int write(ByteBuffer src) { throw new UnsupportedOperationException(); }
    @Override public long position() { return position; }
    @Override public SeekableByteChannel position(long p) { position = (int) p; return this; }
    @Override public long size() { return data.length; }
    @Override public SeekableByteChannel truncate(long size) { throw new UnsupportedOperationException(); }
    @Override public boolean isOpen() { return true; }
    @Override public void close() {}
  }
}
