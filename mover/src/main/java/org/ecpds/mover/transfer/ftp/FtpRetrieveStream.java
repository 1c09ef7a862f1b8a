package org.ecpds.mover.transfer.ftp;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The data stream of one RETR. Closing it closes the data connection and reads the server's final
 * reply, so that the control connection is ready for the next command (connection reuse). Read
 * failures come out classified (NETWORK for a lost connection).
 */
final class FtpRetrieveStream extends FilterInputStream {
  private final FtpModule module;
  private final String path;
  private boolean eof;
  private boolean closed;

  FtpRetrieveStream(InputStream data, FtpModule module, String path) {
    super(data);
    this.module = module;
    this.path = path;
  }

  @Override
  public int read() throws IOException {
    try {
      int b = super.read();
      if (b < 0) eof = true;
      return b;
    } catch (IOException e) {
      throw module.failure("cannot read " + path, e);
    }
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      int n = super.read(b, off, len);
      if (n < 0) eof = true;
      return n;
    } catch (IOException e) {
      throw module.failure("cannot read " + path, e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) return;
    closed = true;
    module.finishRetrieve(in, eof, path);
  }
}
