package org.ecpds.mover.transfer.sftp;

import java.io.IOException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.RawSftpClient;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpMessage;
import org.apache.sshd.sftp.client.impl.SftpResponse;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.mover.transfer.ssh.CallerCompletions;

/**
 * SFTP requests written back to back and their replies read afterwards, for the paths where MINA's
 * client waits on every request: a file that fits in one write request (OPEN, then WRITE and CLOSE
 * sent together and both statuses read, the close may report a failed write too; the rename is not
 * sent with them, it would publish the name even if the write had failed), and the start of a read
 * ({@link SftpPipelinedGet}). SFTP version 3 packet layouts.
 */
final class SftpRequests {
  private SftpRequests() {}

  /** Whether this session can take the short path: raw access and protocol 3. */
  static boolean usable(SftpClient c) {
    return c instanceof RawSftpClient && c.getVersion() == SftpConstants.SFTP_V3;
  }

  /** Opens {@code tmp} for writing (create, truncate); the SFTP status of a refusal is thrown as is. */
  static byte[] open(SftpClient c, String tmp) throws IOException {
    Requests r = new Requests(c);
    int id = r.open(tmp);
    r.sent();
    return receiveOpen(c, id, tmp);
  }

  /**
   * Requests of a batch written one after the other without waiting for each to be out. The
   * client's {@code send} returns only when its request is on the socket. {@code write} waits only
   * until the previous request is out, while this thread has built the next one, and completes
   * its own writes ({@link CallerCompletions}); {@link #sent} waits for the last.
   */
  static final class Requests {
    private final RawSftpClient raw;
    private SftpMessage last;

    Requests(SftpClient c) {
      this.raw = (RawSftpClient) c;
    }

    /** OPEN for writing (create, truncate). */
    int open(String tmp) throws IOException {
      return open(tmp, SftpConstants.SSH_FXF_WRITE | SftpConstants.SSH_FXF_CREAT | SftpConstants.SSH_FXF_TRUNC);
    }

    int openRead(String path) throws IOException {
      return open(path, SftpConstants.SSH_FXF_READ);
    }

    private int open(String path, int flags) throws IOException {
      Buffer b = new ByteArrayBuffer(path.length() * 3 + 32, false);
      b.putString(path);
      b.putInt(flags);
      b.putInt(0); // no attributes
      return write(SftpConstants.SSH_FXP_OPEN, b);
    }

    /** WRITE (when there are bytes) and CLOSE; their request ids, -1 for no write. */
    int[] writeAndClose(byte[] handle, byte[] data, int len) throws IOException {
      int write = -1;
      if (len > 0) {
        Buffer w = new ByteArrayBuffer(handle.length + len + 32, false);
        w.putBytes(handle);
        w.putLong(0);
        w.putBytes(data, 0, len);
        write = write(SftpConstants.SSH_FXP_WRITE, w);
      }
      return new int[] {write, close(handle)};
    }

    int fstat(byte[] handle) throws IOException {
      return onHandle(SftpConstants.SSH_FXP_FSTAT, handle);
    }

    int read(byte[] handle, long offset, int length) throws IOException {
      Buffer b = new ByteArrayBuffer(handle.length + 32, false);
      b.putBytes(handle);
      b.putLong(offset);
      b.putInt(length);
      return write(SftpConstants.SSH_FXP_READ, b);
    }

    int close(byte[] handle) throws IOException {
      return onHandle(SftpConstants.SSH_FXP_CLOSE, handle);
    }

    /** A request whose only field is the handle. */
    private int onHandle(int type, byte[] handle) throws IOException {
      Buffer b = new ByteArrayBuffer(handle.length + 16, false);
      b.putBytes(handle);
      return write(type, b);
    }

    /** OpenSSH's posix-rename (replaces the target atomically). */
    int posixRename(String from, String to) throws IOException {
      Buffer b = new ByteArrayBuffer(from.length() * 3 + to.length() * 3 + 64, false);
      b.putString("posix-rename@openssh.com");
      b.putString(from);
      b.putString(to);
      return write(SftpConstants.SSH_FXP_EXTENDED, b);
    }

    /** Waits until the last request written is out (the ones before it are). */
    void sent() throws IOException {
      if (last != null) last.waitUntilSent();
      last = null;
    }

    private int write(int type, Buffer b) throws IOException {
      last = CallerCompletions.run(b, x -> raw.write(type, x)); // no hand-off per request (see there)
      return last.getId();
    }
  }

  static byte[] receiveOpen(SftpClient c, int id, String tmp) throws IOException {
    SftpResponse r = SftpResponse.parse(SftpConstants.SSH_FXP_OPEN, ((RawSftpClient) c).receive(id));
    if (r.getType() == SftpConstants.SSH_FXP_HANDLE) return r.getBuffer().getBytes();
    throw statusOf(r, "open " + tmp);
  }

  /** The size in an FSTAT reply's attributes, -1 when the server left it out. */
  static long receiveSize(SftpClient c, int id, String path) throws IOException {
    SftpResponse r = SftpResponse.parse(SftpConstants.SSH_FXP_FSTAT, ((RawSftpClient) c).receive(id));
    if (r.getType() != SftpConstants.SSH_FXP_ATTRS) throw statusOf(r, "stat " + path);
    Buffer b = r.getBuffer();
    int flags = b.getInt();
    return (flags & SftpConstants.SSH_FILEXFER_ATTR_SIZE) != 0 ? b.getLong() : -1;
  }

  /** A READ reply's bytes (exactly as many as came), or null at the end of the file. */
  static byte[] receiveData(SftpClient c, int id, String path) throws IOException {
    SftpResponse r = SftpResponse.parse(SftpConstants.SSH_FXP_READ, ((RawSftpClient) c).receive(id));
    if (r.getType() == SftpConstants.SSH_FXP_DATA) return r.getBuffer().getBytes();
    SftpException e = statusOf(r, "read " + path);
    if (e.getStatus() == SftpConstants.SSH_FX_EOF) return null;
    throw e;
  }

  /** Both replies of {@link Requests#writeAndClose}, read even when the first failed. */
  static void receiveWriteAndClose(SftpClient c, int[] ids, String tmp) throws IOException {
    RawSftpClient raw = (RawSftpClient) c;
    IOException first = null;
    if (ids[0] >= 0) first = check(raw, SftpConstants.SSH_FXP_WRITE, ids[0], "write " + tmp, first);
    first = check(raw, SftpConstants.SSH_FXP_CLOSE, ids[1], "close " + tmp, first);
    if (first != null) throw first;
  }

  static void receiveStatus(SftpClient c, int cmd, int id, String what) throws IOException {
    IOException e = check((RawSftpClient) c, cmd, id, what, null);
    if (e != null) throw e;
  }

  /** WRITE + CLOSE pipelined on an open handle; both statuses are read and checked. */
  static void writeAndClose(SftpClient c, byte[] handle, byte[] data, int len, String tmp) throws IOException {
    Requests r = new Requests(c);
    int[] ids = r.writeAndClose(handle, data, len);
    r.sent();
    receiveWriteAndClose(c, ids, tmp);
  }

  private static IOException check(RawSftpClient raw, int cmd, int id, String what, IOException first) throws IOException {
    SftpResponse r = SftpResponse.parse(cmd, raw.receive(id));
    if (first != null) return first;
    SftpException e = statusOf(r, what);
    return e.getStatus() == SftpConstants.SSH_FX_OK ? null : e;
  }

  private static SftpException statusOf(SftpResponse r, String what) {
    if (r.getType() != SftpConstants.SSH_FXP_STATUS) {
      return new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, what + ": unexpected reply type " + r.getType());
    }
    Buffer b = r.getBuffer();
    int status = b.getInt();
    String msg = b.available() >= 4 ? b.getString() : "";
    return new SftpException(status, status == SftpConstants.SSH_FX_OK ? "OK" : what + ": " + msg);
  }
}
