package org.ecpds.mover.transfer.sftp;

import java.io.IOException;
import java.io.InputStream;
import org.apache.sshd.sftp.client.SftpClient;

/** Reads a remote file from an offset (resumed retrievals); closes the handle when closed. */
final class SftpRangeInputStream extends InputStream {
  private final SftpClient client;
  private final SftpClient.CloseableHandle handle;
  private long offset;
  private boolean eof;

  SftpRangeInputStream(SftpClient client, SftpClient.CloseableHandle handle, long offset) {
    this.client = client;
    this.handle = handle;
    this.offset = offset;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (eof) return -1;
    if (len == 0) return 0;
    int n = client.read(handle, offset, b, off, len);
    if (n < 0) {
      eof = true;
      return -1;
    }
    offset += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    handle.close();
  }
}
