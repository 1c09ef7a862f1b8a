package org.ecpds.mover.transfer.sftp;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import org.apache.sshd.common.SshException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/** Maps MINA SSHD / SFTP failures to {@link ErrorKind}s, keeping the server's own message. */
final class SftpErrors {
  private SftpErrors() {}

  static TransferException classify(String what, Throwable t) {
    if (t instanceof TransferException te) return te;
    return new TransferException(kindOf(t), what + ": " + describe(t), t);
  }

  static ErrorKind kindOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SftpException se) return statusKind(se.getStatus());
      if (c instanceof ConnectException || c instanceof NoRouteToHostException
          || c instanceof UnknownHostException || c instanceof SocketTimeoutException
          || c instanceof ClosedChannelException || c instanceof EOFException
          || c instanceof SocketException) {
        return ErrorKind.NETWORK;
      }
      String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (c instanceof SshException) {
        if (m.contains("authentication") || m.contains("server key")) return ErrorKind.AUTHENTICATION;
        if (m.contains("timeout") || m.contains("closed") || m.contains("connection")) return ErrorKind.NETWORK;
      }
      if (m.contains("connection refused") || m.contains("connection reset")) return ErrorKind.NETWORK;
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

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (root != t && root.getMessage() != null && !msg.contains(root.getMessage())) {
      msg += " (" + root.getMessage() + ")";
    }
    return msg;
  }
}
