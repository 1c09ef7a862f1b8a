package org.ecpds.portal.vfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import org.ecpds.portal.fs.FsReader;

/** A download as the seekable channel MINA reads from (position, then read); the reader does the accounting. */
final class ReaderChannel implements SeekableByteChannel {
  private final FsReader reader;
  private long position;
  private boolean open = true;

  ReaderChannel(FsReader reader) {
    this.reader = reader;
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    ensureOpen();
    int n = reader.read(dst, position);
    if (n > 0) position += n;
    return n;
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
    return reader.entry().size();
  }

  @Override
  public SeekableByteChannel truncate(long size) {
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
    reader.close();
  }

  private void ensureOpen() throws ClosedChannelException {
    if (!open) throw new ClosedChannelException();
  }
}
