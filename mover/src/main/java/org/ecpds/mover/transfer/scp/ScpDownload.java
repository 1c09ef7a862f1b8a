package org.ecpds.mover.transfer.scp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.client.channel.ChannelExec;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * The receiving side of the SCP protocol ({@code scp -f}) as a pull stream: MINA's ScpClient
 * only downloads into an OutputStream, which would need a pipe and a thread per get. The
 * exchange is: we ack, the source sends {@code C<mode> <size> <name>\n} (or an error line
 * starting with 1 or 2), we ack, it sends the bytes and a 0 status byte, we ack.
 */
final class ScpDownload extends InputStream {
  private final ChannelExec channel;
  private final InputStream in;
  private final OutputStream out;
  private final String what;
  private long left;
  private boolean done;

  private ScpDownload(ChannelExec channel, String what) {
    this.channel = channel;
    this.in = channel.getInvertedOut();
    this.out = channel.getInvertedIn();
    this.what = what;
  }

  static ScpDownload open(RemoteShell shell, String remotePath, String what) throws IOException {
    ChannelExec ch = shell.open("scp -f -- " + Shell.path(remotePath), null, new RemoteShell.Stderr());
    ScpDownload d = new ScpDownload(ch, what);
    try {
      d.start();
      return d;
    } catch (IOException | RuntimeException e) {
      d.close();
      throw e;
    }
  }

  private void start() throws IOException {
    ack();
    String line = readLine();
    if (line.startsWith("C")) {
      String[] parts = line.split(" ", 3);
      if (parts.length < 3) throw new TransferException(ErrorKind.PROTOCOL, what + ": bad SCP header '" + line + "'");
      left = Long.parseLong(parts[1]);
      ack();
      if (left == 0) finish();
      return;
    }
    throw new TransferException(ScpErrors.commandKind(line), what + ": " + line.substring(1).strip());
  }

  /** A header or error line; the first byte is the type (C, T, D, E, or 1/2 for errors). */
  private String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        if (b.size() == 0) throw new EOFException("scp -f ended without answering (connection lost?)");
        break;
      }
      if (b.size() < 8192) b.write(c);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private void ack() throws IOException {
    out.write(0);
    out.flush();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (done) return -1;
    if (len == 0) return 0;
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) throw new EOFException(what + ": connection ended with " + left + " bytes still to come");
    left -= n;
    if (left == 0) finish();
    return n;
  }

  /** The source's final status byte, then our ack; anything but 0 is the source's error line. */
  private void finish() throws IOException {
    done = true;
    int status = in.read();
    if (status != 0) {
      String msg = status < 0 ? "no final status" : readLine();
      throw new TransferException(status < 0 ? ErrorKind.NETWORK : ScpErrors.commandKind(msg), what + ": " + msg);
    }
    ack();
  }

  @Override
  public void close() {
    done = true;
    channel.close(false);
  }
}
