package org.ecpds.mover.transfer.ssh;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import org.apache.sshd.common.SshException;
import org.ecpds.proto.ErrorKind;

/** Classification of SSH transport failures, shared by the SFTP and SCP modules. */
public final class SshErrors {
  private SshErrors() {}

  /** The kind of a transport-level cause, or {@code null} when {@code c} says nothing about it. */
  public static ErrorKind transportKind(Throwable c) {
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
    return null;
  }

  /** The message, with the root cause's appended when it adds something. */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (root != t && root.getMessage() != null && !msg.contains(root.getMessage())) {
      msg += " (" + root.getMessage() + ")";
    }
    return msg;
  }
}
