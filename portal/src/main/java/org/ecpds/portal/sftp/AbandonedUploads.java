package org.ecpds.portal.sftp;

import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.ecpds.portal.vfs.UploadChannel;

/**
 * When an SFTP channel ends with handles still open (the client hung up or was killed), MINA closes
 * them itself; an upload closed that way is incomplete and must not be published, whereas a close the
 * client asked for commits it.
 */
final class AbandonedUploads implements SftpEventListener {

  @Override
  public void exiting(ServerSession session, Handle handle) {
    if (handle instanceof FileHandle file && file.getFileChannel() instanceof UploadChannel upload) upload.abandon();
  }
}
