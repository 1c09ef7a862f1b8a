package org.ecpds.portal.ftp;

import java.io.IOException;
import java.io.InputStream;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsReader;
import org.ecpds.portal.ftp.FtpReplies.FtpReplyCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RETR from an {@link FsReader}, from the REST offset if one was sent. The reader is opened before the
 * 150 reply so that a refusal keeps its kind; closing it lets the portal account a complete download.
 */
final class DownloadCommand extends AbstractCommand {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadCommand.class);

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
    try {
      if (!request.hasArgument()) {
        session.write(FtpReplies.reply(FtpReplyCode.SYNTAX, "A file name is required"));
        return;
      }
      if (!TransferChecks.dataChannelPrepared(session)) {
        session.write(FtpReplies.reply(FtpReplyCode.BAD_SEQUENCE, "Send PASV, EPSV, PORT or EPRT first"));
        return;
      }
      PortalFileSystemView view = (PortalFileSystemView) session.getFileSystemView();
      FsPath path = view.resolve(request.getArgument());
      long offset = session.getFileOffset();
      try (FsReader reader = view.fs().read(path)) {
        long size = reader.entry().size();
        if (offset > size) {
          session.write(FtpReplies.reply(554, "Restart offset " + offset + " is beyond the end (" + size + " bytes)"));
          return;
        }
        send(session, path, reader.stream(offset, size - offset));
      }
    } catch (FsException e) {
      session.write(FtpReplies.refused(e));
    } catch (IOException e) {
      LOG.warn("download failed: {}", e.toString());
      session.write(FtpReplies.reply(FtpReplyCode.LOCAL_ERROR, "Download failed on the server"));
    } finally {
      session.resetState();
      session.getDataConnection().closeDataConnection();
    }
  }

  private void send(FtpIoSession session, FsPath path, InputStream content) throws FsException {
    session.write(FtpReplies.reply(FtpReplyCode.OPENING_DATA, "Opening data connection for " + path)).awaitUninterruptibly(10_000);
    DataConnection data;
    try {
      data = session.getDataConnection().openConnection();
    } catch (Exception e) {
      LOG.debug("no data connection for RETR", e);
      session.write(FtpReplies.reply(FtpReplyCode.CANT_OPEN_DATA, "Cannot open data connection"));
      return;
    }
    long sent;
    try {
      sent = DataChannel.toClient(session, data, content);
    } catch (FsException e) {
      throw e;
    } catch (IOException e) {
      LOG.debug("RETR of {} aborted: {}", path, e.toString());
      session.write(FtpReplies.reply(FtpReplyCode.TRANSFER_ABORTED, "Transfer aborted"));
      return;
    }
    session.write(FtpReplies.reply(FtpReplyCode.TRANSFER_COMPLETE, "Sent " + sent + " bytes of " + path));
  }
}
