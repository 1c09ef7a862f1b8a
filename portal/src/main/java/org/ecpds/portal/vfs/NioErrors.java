package org.ecpds.portal.vfs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.portal.fs.FsException;

/**
 * Portal error kinds as the NIO exceptions MINA turns into SFTP statuses (and scp error lines); kinds
 * that NIO has no exception for carry their SFTP status directly.
 */
final class NioErrors {
  private NioErrors() {}

  static IOException of(FsException e, String path) {
    String message = e.getMessage();
    IOException out = switch (e.kind()) {
      case NOT_FOUND -> new NoSuchFileException(path, null, message);
      case DENIED -> new AccessDeniedException(path, null, message);
      case EXISTS -> new FileAlreadyExistsException(path, null, message);
      case NOT_EMPTY -> new DirectoryNotEmptyException(path);
      case NOT_DIRECTORY -> new NotDirectoryException(path);
      case IS_DIRECTORY -> new SftpException(SftpConstants.SSH_FX_FILE_IS_A_DIRECTORY, message);
      case INVALID_NAME -> new SftpException(SftpConstants.SSH_FX_INVALID_FILENAME, message);
      case QUOTA_EXCEEDED -> new SftpException(SftpConstants.SSH_FX_QUOTA_EXCEEDED, message);
      case UNAVAILABLE -> new SftpException(SftpConstants.SSH_FX_FAILURE, message);
    };
    out.initCause(e);
    return out;
  }
}
