package org.ecpds.mover.transfer.ssh;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/** Classification of SSH transport failures, shared by the SFTP and SCP modules. */
public final class SshErrors {
  private SshErrors() {}

  /**
   * A PROTOCOL failure on a session that is closing or closed: whatever the remote side said last,
   * the connection itself went away, so it is NETWORK (retryable).
   */
  public static TransferException onLostSession(TransferException t, ClientSession s, Exception cause) {
    if (t.kind() == ErrorKind.PROTOCOL && s != null && (s.isClosing() || s.isClosed())) {
      return new TransferException(ErrorKind.NETWORK, t.getMessage() + " (connection lost)", cause);
    }
    return t;
  }

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
}
