package org.ecpds.portal.ftp;

import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpFile;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.ftp.FtpReplies.FtpReplyCode;

/**
 * DELE, MKD, RMD and RNTO straight onto the portal file system, so that each refusal keeps its kind
 * (FtpServer's own commands only learn true or false from an FtpFile).
 */
final class PathCommands {
  private PathCommands() {}

  @FunctionalInterface
  interface PathAction {
    /** Performs the action and returns the success reply. */
    org.apache.ftpserver.ftplet.FtpReply apply(PortalFs fs, FsPath path, FtpIoSession session) throws FsException;
  }

  /** Resolves the argument, runs the action and maps a refusal to its reply. */
  static final class OnPath extends AbstractCommand {
    private final PathAction action;

    OnPath(PathAction action) {
      this.action = action;
    }

    @Override
    public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
      try {
        if (!request.hasArgument()) {
          session.write(FtpReplies.reply(FtpReplyCode.SYNTAX, "A path is required"));
          return;
        }
        PortalFileSystemView view = (PortalFileSystemView) session.getFileSystemView();
        session.write(action.apply(view.fs(), view.resolve(request.getArgument()), session));
      } catch (FsException e) {
        session.write(FtpReplies.refused(e));
      } finally {
        session.resetState();
      }
    }
  }

  static OnPath delete() {
    return new OnPath((fs, path, s) -> {
      fs.delete(path);
      return FtpReplies.reply(FtpReplyCode.OK, "Deleted " + path);
    });
  }

  static OnPath mkdir() {
    return new OnPath((fs, path, s) -> {
      fs.mkdir(path);
      return FtpReplies.reply(FtpReplyCode.CREATED, "\"" + path.toString().replace("\"", "\"\"") + "\" created");
    });
  }

  static OnPath rmdir() {
    return new OnPath((fs, path, s) -> {
      fs.rmdir(path);
      return FtpReplies.reply(FtpReplyCode.OK, "Removed " + path);
    });
  }

  /** RNTO: the source was remembered by FtpServer's RNFR (which answers 550 for a name that does not exist). */
  static OnPath renameTo() {
    return new OnPath((fs, to, session) -> {
      FtpFile from = session.getRenameFrom();
      if (!(from instanceof PortalFtpFile source) || source.path() == null) {
        return FtpReplies.reply(FtpReplyCode.BAD_SEQUENCE, "Send RNFR first");
      }
      fs.rename(source.path(), to);
      return FtpReplies.reply(FtpReplyCode.OK, "Renamed to " + to);
    });
  }
}
