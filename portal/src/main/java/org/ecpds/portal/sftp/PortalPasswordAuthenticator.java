package org.ecpds.portal.sftp;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalLogin;

/**
 * Password logins through the {@link PortalLogin} (which audits refusals and slows down repeated
 * failures). A refusal that must wait is answered later through MINA's asynchronous authentication: a
 * timer completes it, so no thread waits, however many clients are being slowed down at once.
 */
final class PortalPasswordAuthenticator implements PasswordAuthenticator {
  private final PortalLogin login;
  private final ScheduledExecutorService timer;

  PortalPasswordAuthenticator(PortalLogin login, ScheduledExecutorService timer) {
    this.login = login;
    this.timer = timer;
  }

  @Override
  public boolean authenticate(String username, String password, ServerSession session) {
    try {
      SshLogins.attach(session, login.password(username, password, PortalSftpServer.PROTOCOL, SshLogins.remote(session)));
      return true;
    } catch (LoginException e) {
      return e.retryAfter().map(this::refuseAfter).orElse(false);
    }
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
}
