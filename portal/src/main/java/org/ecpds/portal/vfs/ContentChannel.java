package org.ecpds.portal.vfs;

import org.ecpds.portal.fs.DeliveredRanges;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * Read-only view of a data file's content, bounded by the size the master announced. Reads go straight
 * to the store with positional reads; delivered ranges are tracked and, when the channel is closed
 * after every byte went out, {@code onComplete} runs once.
 */
final class ContentChannel implements SeekableByteChannel {
  private final SeekableByteChannel source;
  private final long size;
  private final Runnable onComplete;
  private final DeliveredRanges delivered = new DeliveredRanges();
  private long position;
  private boolean open = true;

  ContentChannel(SeekableByteChannel source, long size, Runnable onComplete) {
    this.source = source;
    this.size = size;
    this.onComplete = onComplete;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    long remaining = size - position;
    if (remaining <= 0) return -1;
    int want = (int) Math.min(dst.remaining(), remaining);
    if (want == 0) return 0;
    int limit = dst.limit();
    dst.limit(dst.position() + want);
    int n;
    try {
      n = readAt(dst, position);
    } finally {
      dst.limit(limit);
    }
    if (n < 0) {
      // The store holds less than announced: fail loudly rather than hand out a truncated file.
      throw new EOFException("content ends at " + position + " of " + size + " bytes");
    }
    delivered.add(position, position + n);
    position += n;
    return n;
  }

  private int readAt(ByteBuffer dst, long at) throws IOException {
    if (source instanceof FileChannel fc) return fc.read(dst, at);
    source.position(at);
    return source.read(dst);
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized SeekableByteChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) throw new IllegalArgumentException("negative position");
    position = newPosition;
    return this;
  }

  @Override
  public long size() throws IOException {
    ensureOpen();
    return size;
  }

  @Override
  public SeekableByteChannel truncate(long newSize) {
    throw new NonWritableChannelException();
  }

  @Override
  public synchronized boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (!open) return;
      open = false;
    }
    try {
      source.close();
    } finally {
      if (delivered.contiguous() >= size) onComplete.run();
    }
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) throw new ClosedChannelException();
  }
}
