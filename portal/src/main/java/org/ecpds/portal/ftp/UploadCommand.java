package org.ecpds.portal.ftp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.DataConnection;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsUpload;
import org.ecpds.portal.ftp.FtpReplies.FtpReplyCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * STOR into an {@link FsUpload}: committed only when the data connection ended cleanly (end of stream,
 * and for FTPS the TLS close) while the control connection is still there; a reset, a truncated TLS
 * stream or a client gone leave nothing behind. A restart offset (REST before STOR) is refused before
 * anything is opened: the portal takes whole files only.
 */
final class UploadCommand extends AbstractCommand {
  private static final Logger LOG = LoggerFactory.getLogger(UploadCommand.class);

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
    try {
      if (!request.hasArgument()) {
        session.write(FtpReplies.reply(FtpReplyCode.SYNTAX, "A file name is required"));
        return;
      }
      if (session.getFileOffset() > 0) {
        session.write(FtpReplies.reply(FtpReplyCode.NOT_TAKEN, "Resuming an upload (REST before STOR) is not supported: send the whole file"));
        return;
      }
      if (!TransferChecks.dataChannelPrepared(session)) {
        session.write(FtpReplies.reply(FtpReplyCode.BAD_SEQUENCE, "Send PASV, EPSV, PORT or EPRT first"));
        return;
      }
      PortalFileSystemView view = (PortalFileSystemView) session.getFileSystemView();
      FsPath path = view.resolve(request.getArgument());
      try (FsUpload upload = view.fs().write(path)) {
        receive(session, path, upload);
      }
    } catch (FsException e) {
      session.write(FtpReplies.refused(e));
    } catch (IOException e) {
      LOG.warn("upload failed: {}", e.toString());
      session.write(FtpReplies.reply(FtpReplyCode.LOCAL_ERROR, "Upload failed on the server"));
    } finally {
      session.resetState();
      session.getDataConnection().closeDataConnection();
    }
  }

  private void receive(FtpIoSession session, FsPath path, FsUpload upload) throws IOException {
    session.write(FtpReplies.reply(FtpReplyCode.OPENING_DATA, "Opening data connection for " + path)).awaitUninterruptibly(10_000);
    DataConnection data;
    try {
      data = session.getDataConnection().openConnection();
    } catch (Exception e) {
      LOG.debug("no data connection for STOR", e);
      session.write(FtpReplies.reply(FtpReplyCode.CANT_OPEN_DATA, "Cannot open data connection"));
      return;
    }
    long received;
    try {
      UploadStream into = new UploadStream(upload);
      received = DataChannel.fromClient(session, data, into);
      into.flush();
    } catch (FsException e) {
      throw e;
    } catch (IOException e) {
      LOG.debug("STOR of {} aborted by the client: {}", path, e.toString());
      session.write(FtpReplies.reply(FtpReplyCode.TRANSFER_ABORTED, "Transfer aborted, nothing was stored"));
      return;
    }
    if (!session.isConnected() || session.isClosing()) {
      LOG.debug("STOR of {}: the client left, nothing stored", path);
      return;
    }
    upload.commit();
    session.write(FtpReplies.reply(FtpReplyCode.TRANSFER_COMPLETE, "Stored " + received + " bytes in " + path));
  }

  /**
   * The upload channel as the stream the data connection is copied into (DataChannel), gathering its
   * reads into 256 KiB writes; closing it does not end the upload.
   */
  private static final class UploadStream extends OutputStream {
    private static final int CHUNK = 256 * 1024;
    private final FsUpload upload;
    private final ByteBuffer pending = ByteBuffer.allocate(CHUNK);

    UploadStream(FsUpload upload) {
      this.upload = upload;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, pending.remaining());
        pending.put(b, off, n);
        off += n;
        len -= n;
        if (!pending.hasRemaining()) flush();
      }
    }

    @Override
    public void flush() throws IOException {
      pending.flip();
      while (pending.hasRemaining()) upload.write(pending);
      pending.clear();
    }
  }
}
