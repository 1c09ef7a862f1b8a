package org.ecpds.mover.transfer.sftp;

import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.ssh.SshErrors;
import org.ecpds.proto.ErrorKind;

/** Maps MINA SSHD / SFTP failures to {@link ErrorKind}s, keeping the server's own message. */
final class SftpErrors {
  private SftpErrors() {}

  static TransferException classify(String what, Throwable t) {
    if (t instanceof TransferException te) return te;
    return new TransferException(kindOf(t), what + ": " + TransferException.describe(t), t);
  }

  static ErrorKind kindOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SftpException se) return statusKind(se.getStatus());
      ErrorKind k = SshErrors.transportKind(c);
      if (k != null) return k;
    }
    return ErrorKind.PROTOCOL;
  }

  static ErrorKind statusKind(int status) {
    return switch (status) {
      case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT,
          SftpConstants.SSH_FX_CANNOT_DELETE -> ErrorKind.PERMISSION;
      case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH -> ErrorKind.NOT_FOUND;
      case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST -> ErrorKind.NETWORK;
      default -> ErrorKind.PROTOCOL;
    };
  }

  static boolean isStatus(Throwable t, int... statuses) {
    if (t instanceof SftpException se) {
      for (int s : statuses) if (se.getStatus() == s) return true;
    }
    return false;
  }

}
