package org.ecpds.mover.transfer.scp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.file.util.MockFileSystem;
import org.apache.sshd.common.file.util.MockPath;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.scp.client.DefaultScpStreamResolver;
import org.apache.sshd.scp.common.ScpException;
import org.apache.sshd.scp.common.ScpHelper;
import org.apache.sshd.scp.common.ScpTransferEventListener;
import org.apache.sshd.scp.common.helpers.DefaultScpFileOpener;
import org.apache.sshd.scp.common.helpers.ScpAckInfo;
import org.ecpds.mover.transfer.TransferException;

/**
 * One file sent with MINA's SCP sender ({@code scp -t} on the remote side), used directly rather
 * than through {@code ScpClient.upload} for two reasons:
 * <ul>
 *   <li>OpenSSH's scp reports a failed open ("No such file or directory", "Permission denied")
 *       with status byte 1, which MINA treats as an advisory warning: it logs it, sends the data
 *       anyway and only logs the non-zero exit status too, so the upload "succeeds" without a
 *       file. Here every non-zero status fails, and so does a non-zero exit status.</li>
 *   <li>{@code ScpClient.upload} copies in 8 KiB writes; a larger buffer fills SSH packets.</li>
 * </ul>
 */
final class ScpUpload {
  private static final int BUFFER = 256 * 1024;
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

  private ScpUpload() {}

  /**
   * Sends {@code src} to {@code remotePath}; {@code then} (a command line) runs in the same exec once
   * scp has stored the file and exited 0. Its failure fails the send.
   */
  static void send(RemoteShell shell, ClientSession session, InputStream src, String remotePath, long size,
      String then) throws IOException {
    String cmd = "scp -t -- " + Shell.path(remotePath) + " && " + then;
    RemoteShell.Stderr err = new RemoteShell.Stderr();
    ChannelExec ch = shell.open(cmd, null, err);
    try {
      try (InputStream in = ch.getInvertedOut(); OutputStream out = ch.getInvertedIn()) {
        ScpHelper helper = new StrictHelper(session, in, out, new MockFileSystem(remotePath));
        helper.readAndValidateOperationAck(cmd, remotePath);
        String name = remotePath.substring(remotePath.lastIndexOf('/') + 1);
        helper.sendStream(new DefaultScpStreamResolver(name, new MockPath(remotePath), MODE, null, size, src, cmd),
            false, BUFFER);
      } catch (ScpException | TransferException e) {
        throw e;
      } catch (IOException e) {
        throw RemoteShell.whyClosed(ch, cmd, err, "scp to " + remotePath + " failed", e);
      }
      // every protocol status byte was OK: a non-zero exit now is the command after scp
      int status = shell.awaitExit(ch, cmd);
      if (status != 0) throw RemoteShell.failureAfterExit(ch, "scp to " + remotePath + " done, then failed", status, err);
    } finally {
      ch.close(false);
    }
  }

  /** Any status but 0 (OK) is a failure, with the remote's line as the message. */
  private static final class StrictHelper extends ScpHelper {
    StrictHelper(Session session, InputStream in, OutputStream out, MockFileSystem fs) {
      super(session, in, out, fs, DefaultScpFileOpener.INSTANCE, ScpTransferEventListener.EMPTY);
    }

    @Override
    protected void validateCommandStatusCode(String command, Object location, ScpAckInfo ack, boolean eofAllowed)
        throws IOException {
      if (ack == null) {
        if (!eofAllowed) throw new EOFException("scp ended without answering (" + location + ")");
        return;
      }
      if (ack.getStatusCode() != ScpAckInfo.OK) {
        String line = ack.getLine() == null ? "status " + ack.getStatusCode() : ack.getLine();
        throw new ScpException(line, ack.getStatusCode());
      }
    }

    @Override
    protected void validateOperationReadyCode(String command, Object location, ScpAckInfo ack) throws IOException {
      validateCommandStatusCode(command, location, ack, false);
    }

    @Override
    protected void validateAckReplyCode(String command, Object location, ScpAckInfo ack) throws IOException {
      validateCommandStatusCode(command, location, ack, false);
    }

    @Override
    protected void validateFileOperationAckReplyCode(String command, Session session,
        ScpTransferEventListener.FileOperation op, Path file, long size, Set<PosixFilePermission> perms, ScpAckInfo ack)
        throws IOException {
      validateCommandStatusCode(command, file, ack, false);
      super.validateFileOperationAckReplyCode(command, session, op, file, size, perms, ack);
    }
  }
}
