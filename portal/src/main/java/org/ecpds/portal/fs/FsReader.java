package org.ecpds.portal.fs;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An open download. Reads are positional and may come in any order or in parallel (pipelined SFTP
 * reads, HTTP ranges). The file system counts which bytes went out: when every byte from 0 to the end
 * has been read, the download is complete and accounted (a StandBy transfer becomes Done) — adapters
 * only read and close, they never report anything themselves.
 */
public interface FsReader extends Closeable {

  FsEntry entry();

  /** Reads into {@code dst} from {@code position}; -1 at or after the end. */
  int read(ByteBuffer dst, long position) throws IOException;

  /** A stream of {@code length} bytes from {@code offset} (clamped to the end), for adapters that copy streams. */
  default InputStream stream(long offset, long length) {
    FsReader self = this;
    long end = Math.min(entry().size(), offset + Math.max(0, length));
    return new InputStream() {
      private long pos = offset;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos >= end) return -1;
        int n = self.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
        if (n < 0) return -1;
        pos += n;
        return n;
      }
    };
  }
}
