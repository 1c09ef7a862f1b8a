package org.ecpds.mover.transfer.sftp;

import java.io.IOException;
import java.io.InputStream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.DefaultCloseableHandle;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote file read from its start in fewer round trips than MINA's stream, which sends a STAT, an
 * OPEN, its READs and a CLOSE, each waited for until it is on the socket (a wake-up of the reading
 * thread per request, a third of a fetch thread's time with small files): here OPEN, then FSTAT and
 * the first READ written together. A file that came whole in that read (the small products a
 * retrieval fetches by the thousand) is complete: its CLOSE is written at once and its status read
 * when the stream is closed, while the store makes the copy durable. A larger file goes on in MINA's
 * pipelined stream on the same handle from where the first read ended.
 */
final class SftpPipelinedGet extends InputStream {
  private static final Logger LOG = LoggerFactory.getLogger(SftpPipelinedGet.class);

  private final SftpClient client;
  private final String path;
  private final byte[] first;
  private int pos;
  /** The rest of a larger file, or null. */
  private final InputStream rest;
  /** The CLOSE written for a file read whole, -1 when there is none to wait for. */
  private int closeId;

  private SftpPipelinedGet(SftpClient client, String path, byte[] first, InputStream rest, int closeId) {
    this.client = client;
    this.path = path;
    this.first = first;
    this.rest = rest;
    this.closeId = closeId;
  }

  /** Whether this session can take this path: raw requests, protocol 3 and MINA's stream to go on with. */
  static boolean usable(SftpClient c) {
    return SftpRequests.usable(c) && c instanceof AbstractSftpClient;
  }

  /** Opens {@code path} for reading; {@code chunk} is the size of each READ (what the server answers in one). */
  static InputStream open(SftpClient c, String path, int chunk) throws IOException {
    SftpRequests.Requests requests = new SftpRequests.Requests(c);
    int openId = requests.openRead(path);
    requests.sent();
    byte[] handle = SftpRequests.receiveOpen(c, openId, path);
    int statId = requests.fstat(handle);
    int readId = requests.read(handle, 0, chunk);
    requests.sent();
    IOException failure = null;
    long size = -1;
    byte[] data = null;
    try {
      size = SftpRequests.receiveSize(c, statId, path);
    } catch (IOException e) {
      failure = e;
    }
    try {
      data = SftpRequests.receiveData(c, readId, path); // read even after a failed FSTAT: every reply is taken
    } catch (IOException e) {
      if (failure == null) failure = e;
    }
    if (failure != null) {
      closeQuietly(c, requests, handle, path);
      throw failure;
    }
    byte[] got = data == null ? new byte[0] : data;
    if (data == null || (size >= 0 && got.length >= size)) {
      return new SftpPipelinedGet(c, path, got, null, requests.close(handle));
    }
    // more to come (or a server that does not say the size): MINA's read-ahead from here on
    InputStream rest = new SftpInputStreamAsync((AbstractSftpClient) c, chunk, got.length, Math.max(size, 0), path,
        new DefaultCloseableHandle(c, path, handle));
    return new SftpPipelinedGet(c, path, got, rest, -1);
  }

  private static void closeQuietly(SftpClient c, SftpRequests.Requests requests, byte[] handle, String path) {
    try {
      int id = requests.close(handle);
      SftpRequests.receiveStatus(c, SftpConstants.SSH_FXP_CLOSE, id, "close " + path);
    } catch (IOException e) {
      LOG.debug("closing {} after a failed read: {}", path, e.toString());
    }
  }

  @Override
  public int read() throws IOException {
    if (pos < first.length) return first[pos++] & 0xff;
    return rest == null ? -1 : rest.read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (pos < first.length) {
      int n = Math.min(len, first.length - pos);
      System.arraycopy(first, pos, b, off, n);
      pos += n;
      return n;
    }
    return rest == null ? -1 : rest.read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return first.length - pos + (rest == null ? 0 : rest.available());
  }

  /**
   * Ends the read: the rest's handle is closed, or the status of the CLOSE already written is read. A
   * refused close of a file only read changes nothing that was read, so it is logged, not thrown.
   */
  @Override
  public void close() throws IOException {
    if (rest != null) {
      rest.close();
      return;
    }
    if (closeId < 0) return;
    int id = closeId;
    closeId = -1;
    try {
      SftpRequests.receiveStatus(client, SftpConstants.SSH_FXP_CLOSE, id, "close " + path);
    } catch (IOException e) {
      LOG.debug("closing {} after reading it: {}", path, e.toString());
    }
  }
}
