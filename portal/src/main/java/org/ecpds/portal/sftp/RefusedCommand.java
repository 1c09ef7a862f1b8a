package org.ecpds.portal.sftp;

import java.io.InputStream;
import java.io.OutputStream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * Every exec request but scp: there is no shell behind the portal. Clients probe with commands
 * (rclone runs md5sum, sha1sum, echo, df) and fall back when they fail, so the refusal is a plain
 * exit status 127 ("command not found"), without a warning in the log.
 */
final class RefusedCommand implements Command {
  static final CommandFactory FACTORY = (channel, command) -> new RefusedCommand();

  private ExitCallback exit;

  @Override public void setInputStream(InputStream in) {}
  @Override public void setOutputStream(OutputStream out) {}
  @Override public void setErrorStream(OutputStream err) {}

  @Override
  public void setExitCallback(ExitCallback callback) {
    this.exit = callback;
  }

  @Override
  public void start(ChannelSession channel, Environment env) {
    exit.onExit(127, "command not available on the data portal");
  }

  @Override
  public void destroy(ChannelSession channel) {}
}
