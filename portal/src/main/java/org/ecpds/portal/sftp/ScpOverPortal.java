package org.ecpds.portal.sftp;

import java.io.IOException;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.scp.common.ScpTransferEventListener;
import org.apache.sshd.scp.server.ScpCommand;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Legacy scp ("scp -t/-f" exec) over its session's portal file system seen as protocol {@code scp}: the
 * SSH login that made the session could not know the channel would be scp, and event lines and history
 * must name what the client used. OpenSSH's default scp speaks SFTP and stays "sftp".
 */
final class ScpOverPortal extends ScpCommandFactory {
  static final String PROTOCOL = "scp";

  private final PortalFileSystemFactory files;

  ScpOverPortal(PortalFileSystemFactory files) {
    this.files = files;
  }

  @Override
  protected Command executeSupportedCommand(ChannelSession channel, String command) {
    return new ScpCommand(channel, command, resolveExecutorService(command), getSendBufferSize(),
        getReceiveBufferSize(), getScpFileOpener(), ScpTransferEventListener.EMPTY) {
      @Override
      public void setFileSystemFactory(FileSystemFactory ignored, SessionContext session) throws IOException {
        setFileSystem(files.createFileSystem(session, PROTOCOL));
      }
    };
  }
}
