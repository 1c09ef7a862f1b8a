package org.ecpds.portal.fs;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * A download from the mover's store, bounded by the size the master listed. Positional reads on a
 * FileChannel need no lock (pipelined SFTP reads and parallel HTTP ranges run side by side); the
 * delivered ranges are tracked and, when the reader is closed after every byte went out, the download
 * is accounted once; a reader closed after only part of the file went out (ranges, a client that stopped)
 * reports the bytes it handed out, so that partial reads count in the user's download quota too.
 */
public final class MoverReader implements FsReader {
  private final FsEntry entry;
  private final SeekableByteChannel source;
  private final Runnable onComplete;
  private final LongConsumer onPartial;
  private final DeliveredRanges delivered = new DeliveredRanges();
  private final LongAdder handedOut = new LongAdder();
  private volatile boolean open = true;

  MoverReader(FsEntry entry, SeekableByteChannel source, Runnable onComplete, LongConsumer onPartial) {
    this.entry = entry;
    this.source = source;
    this.onComplete = onComplete;
    this.onPartial = onPartial;
  }

  /**
   * A reader of {@code channel} that accounts nothing: the SFTP start-up warm-up reads through this same
   * class so that the JIT's type profiles at the per-packet call sites are those of users' downloads.
   */
  public static FsReader unaccounted(FsEntry entry, FileChannel channel) {
    return new MoverReader(entry, channel, () -> {}, bytes -> {});
  }

  @Override
  public FsEntry entry() {
    return entry;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    if (!open) throw new ClosedChannelException();
    if (position < 0) throw new IllegalArgumentException("negative position");
    long remaining = entry.size() - position;
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
    // The store holds less than announced: fail loudly rather than hand out a truncated file.
    if (n < 0) throw new EOFException("content ends at " + position + " of " + entry.size() + " bytes");
    delivered.add(position, position + n);
    handedOut.add(n);
    return n;
  }

  private int readAt(ByteBuffer dst, long at) throws IOException {
    if (source instanceof FileChannel fc) return fc.read(dst, at);
    synchronized (source) {
      source.position(at);
      return source.read(dst);
    }
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
      long sent = handedOut.sum();
      if (delivered.contiguous() >= entry.size()) onComplete.run();
      else if (sent > 0) onPartial.accept(sent);
    }
  }
}
