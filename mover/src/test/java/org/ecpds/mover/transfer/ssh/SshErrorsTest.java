package org.ecpds.mover.transfer.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.exception.SshChannelClosedException;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.helpers.MissingAttachedSessionException;
import org.ecpds.proto.ErrorKind;
import org.junit.jupiter.api.Test;

/** The SSH classifier decides by exception type, cause chain and protocol codes, never by message text. */
class SshErrorsTest {
  @Test
  void connectionDroppedBeforeTheSessionWasAttachedIsNetwork() {
    // what MINA reported when the connection to a stopping server broke during set-up (the flaky
    // ConformanceTest "server stopped" case): a plain IOException under MINA's own wrapper
    Throwable t = new MissingAttachedSessionException("No session available to signal caught exception=x",
        new IOException("Broken pipe"));
    assertThat(SshErrors.chainKind(t)).isEqualTo(ErrorKind.NETWORK);
  }

  @Test
  void aWriteAbortedByTheSessionsImmediateCloseIsNetwork() {
    // how a put failed when ConformanceTest stopped the server mid-transfer (a flaky PROTOCOL before):
    // MINA's Nio2Session fails the queued writes with this JDK type, wrapped by the SFTP client
    Throwable t = new SshException("IoWriteFutureImpl: Failed (WriteAbortedException) to execute",
        new java.io.WriteAbortedException("Write request aborted due to immediate session close", null));
    assertThat(SshErrors.chainKind(t)).isEqualTo(ErrorKind.NETWORK);
  }

  @Test
  void transportTypesAreNetwork() {
    assertThat(SshErrors.chainKind(new SshException("whatever", new ConnectException("x")))).isEqualTo(ErrorKind.NETWORK);
    assertThat(SshErrors.chainKind(new SshException("Failed to get operation result within specified timeout",
        new TimeoutException()))).isEqualTo(ErrorKind.NETWORK);
    assertThat(SshErrors.chainKind(new SshChannelClosedException(1, "x"))).isEqualTo(ErrorKind.NETWORK);
    assertThat(SshErrors.chainKind(new SshChannelOpenException(1, SshConstants.SSH_OPEN_RESOURCE_SHORTAGE, "x")))
        .isEqualTo(ErrorKind.NETWORK);
    assertThat(SshErrors.chainKind(new SshException(SshConstants.SSH2_DISCONNECT_CONNECTION_LOST, "x")))
        .isEqualTo(ErrorKind.NETWORK);
  }

  @Test
  void authenticationIsTheDisconnectCodeNotTheText() {
    assertThat(SshErrors.chainKind(new SshException(SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE,
        "some text"))).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(SshErrors.chainKind(new SshException("authentication failed, connection refused"))).isNull();
  }

  @Test
  void aMessageAloneDecidesNothing() {
    assertThat(SshErrors.chainKind(new IOException("Connection reset by peer"))).isNull();
    assertThat(SshErrors.chainKind(new IllegalStateException("closed"))).isNull();
  }
}
