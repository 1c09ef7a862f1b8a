package org.ecpds.portal.sftp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.LoginGuard.Attempt;
import org.ecpds.portal.DeniedEvents;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password logins checked by the backend; the granted user is kept on the SSH session. Refusals go
 * through the {@link LoginGuard} (DEA line, then the master's copy). When the guard asks for a
 * delay, the refusal is answered later through MINA's asynchronous authentication: a timer
 * completes it, so no thread waits, however many clients are being slowed down at once.
 */
final class PortalPasswordAuthenticator implements PasswordAuthenticator {
  static final AttributeKey<PortalUser> USER = new AttributeKey<>();
  private static final Logger LOG = LoggerFactory.getLogger(PortalPasswordAuthenticator.class);
  static final String REFUSED = "Password authentication failed";

  private final PortalBackend backend;
  private final String moverName;
  private final LoginGuard guard;
  private final ScheduledExecutorService timer;

  PortalPasswordAuthenticator(PortalBackend backend, String moverName, LoginGuard guard,
      ScheduledExecutorService timer) {
    this.backend = backend;
    this.moverName = moverName;
    this.guard = guard;
    this.timer = timer;
  }

  @Override
  public boolean authenticate(String username, String password, ServerSession session) {
    String remote = remoteAddress(session);
    Attempt attempt = new Attempt(PortalSftpServer.PROTOCOL, moverName, remote, username);
    Duration wait = guard.waitBefore(attempt);
    if (!wait.isZero()) { // refused before the password is checked, and answered when the wait is over
      DeniedEvents.forward(backend, username, "Too many failed attempts from this address", PortalSftpServer.PROTOCOL,
          remote);
      return refuseAfter(wait);
    }
    Optional<PortalUser> user;
    try {
      user = backend.authenticate(username, password, PortalSftpServer.PROTOCOL, remote);
    } catch (RuntimeException e) {
      LOG.warn("authentication of {} from {} failed: {}", username, remote, e.toString());
      user = Optional.empty();
    }
    if (user.isEmpty()) {
      Duration hold = guard.refused(attempt, REFUSED);
      DeniedEvents.forward(backend, username, REFUSED, PortalSftpServer.PROTOCOL, remote);
      return hold.isZero() ? false : refuseAfter(hold);
    }
    guard.accepted(attempt);
    session.setAttribute(USER, user.get());
    return true;
  }

  /** Hands MINA a pending answer that the timer completes with "refused" after the delay. */
  private boolean refuseAfter(Duration delay) {
    AsyncAuthException pending = new AsyncAuthException();
    try {
      timer.schedule(() -> pending.setAuthed(false), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      return false; // the server is stopping: refuse at once
    }
    throw pending;
  }

  static String remoteAddress(ServerSession session) {
    SocketAddress a = session.getClientAddress();
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) return inet.getAddress().getHostAddress();
    return String.valueOf(a);
  }
}
