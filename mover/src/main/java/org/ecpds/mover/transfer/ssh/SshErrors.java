package org.ecpds.mover.transfer.ssh;

import java.io.EOFException;
import java.io.WriteAbortedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.WindowClosedException;
import org.apache.sshd.common.channel.exception.SshChannelClosedException;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * Classification of SSH transport failures, shared by the SFTP and SCP modules. Only exception
 * types, SSH disconnect/open codes and the session's state decide: messages vary between library
 * versions and locales (a MINA message that no list knew made a lost connection PROTOCOL).
 */
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

  /** The kind of the first cause in {@code t}'s chain that names one, or {@code null}. */
  public static ErrorKind chainKind(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      ErrorKind k = transportKind(c);
      if (k != null) return k;
    }
    return null;
  }

  /** The kind of a transport-level cause, or {@code null} when its type says nothing about it. */
  public static ErrorKind transportKind(Throwable c) {
    if (c instanceof ConnectException || c instanceof NoRouteToHostException
        || c instanceof UnknownHostException || c instanceof SocketTimeoutException
        || c instanceof SocketException || c instanceof ClosedChannelException
        || c instanceof InterruptedByTimeoutException || c instanceof EOFException
        || c instanceof TimeoutException // MINA's verify(timeout) gives an SshException caused by it
        // the I/O session failed before an SSH session was attached to it: the connection dropped
        // while being set up (a stopping server, or something else answering on the port)
        || c instanceof MissingAttachedSessionException
        || c instanceof SshChannelClosedException || c instanceof WindowClosedException
        // MINA fails the writes still queued when it closes an I/O session at once (the peer went
        // away) with the JDK's WriteAbortedException: seen when the server stopped mid-put
        || c instanceof WriteAbortedException) {
      return ErrorKind.NETWORK;
    }
    if (c instanceof SshChannelOpenException o) {
      return o.getReasonCode() == SshConstants.SSH_OPEN_RESOURCE_SHORTAGE ? ErrorKind.NETWORK : null;
    }
    if (c instanceof SshException se) return disconnectKind(se.getDisconnectCode());
    return null;
  }

  /** RFC 4253 §11.1 reason codes; 0 means the exception carries none. */
  static ErrorKind disconnectKind(int code) {
    return switch (code) {
      case SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, SshConstants.SSH2_DISCONNECT_ILLEGAL_USER_NAME,
          SshConstants.SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER,
          SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE -> ErrorKind.AUTHENTICATION;
      case SshConstants.SSH2_DISCONNECT_CONNECTION_LOST, SshConstants.SSH2_DISCONNECT_BY_APPLICATION,
          SshConstants.SSH2_DISCONNECT_TOO_MANY_CONNECTIONS, SshConstants.SSH2_DISCONNECT_SERVICE_NOT_AVAILABLE ->
          ErrorKind.NETWORK;
      default -> null;
    };
  }
}
