package org.ecpds.portal.ftp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.command.AbstractCommand;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.impl.FtpServerContext;
import org.apache.ftpserver.impl.ServerFtpStatistics;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.ecpds.portal.ftp.FtpReplies.FtpReplyCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PASS: logs the user in through {@link PortalLogin}. A refusal is answered 530 only after a delay (the
 * portal's retryAfter, at least the configured one) without holding a thread: the control connection
 * stops being read, a timer sends the refusal and resumes reading, or closes the connection after the
 * last allowed failure.
 */
final class LoginCommand extends AbstractCommand {
  private static final Logger LOG = LoggerFactory.getLogger(LoginCommand.class);

  private final PortalLogin login;
  private final FtpPortalSettings settings;
  private final ScheduledExecutorService timer;

  LoginCommand(PortalLogin login, FtpPortalSettings settings, ScheduledExecutorService timer) {
    this.login = login;
    this.settings = settings;
    this.timer = timer;
  }

  @Override
  public void execute(FtpIoSession session, FtpServerContext context, FtpRequest request) {
    session.resetState();
    String user = session.getUserArgument();
    if (session.isLoggedIn()) {
      session.write(FtpReplies.reply(202, "Already logged in"));
      return;
    }
    if (user == null) {
      session.write(FtpReplies.reply(FtpReplyCode.BAD_SEQUENCE, "Send USER first"));
      return;
    }
    ServerFtpStatistics stats = (ServerFtpStatistics) context.getFtpStatistics();
    if (stats.getCurrentLoginNumber() >= settings.maxLogins()) {
      session.write(FtpReplies.reply(421, "Too many users logged in, try again later"));
      session.closeOnFlush();
      return;
    }
    String password = request.getArgument() == null ? "" : request.getArgument();
    String protocol = session.isSecure() ? PortalFtpServer.PROTOCOL_FTPS : PortalFtpServer.PROTOCOL_FTP;
    PortalFs fs;
    try {
      fs = login.password(user, password, protocol, (InetSocketAddress) session.getRemoteAddress());
    } catch (LoginException e) {
      refuseLater(session, e.retryAfter().orElse(Duration.ZERO));
      return;
    } catch (RuntimeException e) {
      LOG.warn("login of {} failed: {}", user, e.toString());
      session.reinitialize();
      session.write(FtpReplies.reply(421, "Login service unavailable, try again later"));
      session.closeOnFlush();
      return;
    }
    int idle = (int) Math.max(1, settings.idleTimeout().toSeconds());
    PortalFtpUser ftpUser = new PortalFtpUser(fs, idle);
    session.setUser(ftpUser);
    session.setUserArgument(null);
    session.setMaxIdleTime(idle);
    try {
      session.setLogin(context.getFileSystemManager().createFileSystemView(ftpUser));
    } catch (Exception e) {
      fs.close();
      throw new IllegalStateException(e);
    }
    stats.setLogin(session);
    session.write(FtpReplies.reply(FtpReplyCode.LOGGED_IN, "User " + fs.user() + " logged in"));
  }

  private void refuseLater(FtpIoSession session, Duration retryAfter) {
    session.reinitialize();
    session.increaseFailedLogins();
    boolean last = session.getFailedLogins() >= settings.maxLoginFailures();
    Duration delay = retryAfter.compareTo(settings.loginFailureDelay()) > 0 ? retryAfter : settings.loginFailureDelay();
    if (delay.compareTo(FtpPortalSettings.MAX_REFUSAL_DELAY) > 0) delay = FtpPortalSettings.MAX_REFUSAL_DELAY;
    session.suspendRead();
    Runnable answer = () -> {
      session.write(FtpReplies.reply(FtpReplyCode.NOT_LOGGED_IN, "Login incorrect"));
      if (last) session.closeOnFlush();
      else session.resumeRead();
    };
    if (delay.isZero() || delay.isNegative()) answer.run();
    else timer.schedule(answer, delay.toMillis(), TimeUnit.MILLISECONDS);
  }
}
