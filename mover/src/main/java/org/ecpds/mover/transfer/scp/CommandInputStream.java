package org.ecpds.mover.transfer.scp;

import java.io.IOException;
import java.io.InputStream;
import org.apache.sshd.client.channel.ChannelExec;
import org.ecpds.mover.transfer.TransferException;

/**
 * The stdout of a remote command as a stream; at its end the exit status is checked, so a failed
 * command is an error rather than a short file. {@link #prime()} waits for the first bytes or the
 * end, so that "no such file" surfaces from get() itself.
 */
final class CommandInputStream extends InputStream {
  private final ChannelExec channel;
  private final InputStream out;
  private final RemoteShell.Stderr err;
  private final String command;
  private final String what;
  private final byte[] first = new byte[64 * 1024];
  private int firstPos;
  private int firstLen;
  private boolean ended;

  CommandInputStream(ChannelExec channel, RemoteShell.Stderr err, String command, String what) {
    this.channel = channel;
    this.out = channel.getInvertedOut();
    this.err = err;
    this.command = command;
    this.what = what;
  }

  CommandInputStream prime() throws IOException {
    int n = out.read(first, 0, first.length);
    if (n < 0) finish();
    else firstLen = n;
    return this;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) return 0;
    if (firstPos < firstLen) {
      int n = Math.min(len, firstLen - firstPos);
      System.arraycopy(first, firstPos, b, off, n);
      firstPos += n;
      return n;
    }
    if (ended) return -1;
    int n = out.read(b, off, len);
    if (n < 0) finish();
    return n;
  }

  private void finish() throws TransferException {
    ended = true;
    int status = RemoteShell.exitStatus(channel, command);
    if (status != 0) throw RemoteShell.failureAfterExit(channel, what, status, err);
  }

  @Override
  public void close() {
    ended = true;
    channel.close(false);
  }
}
