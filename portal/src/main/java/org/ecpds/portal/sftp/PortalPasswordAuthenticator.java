package org.ecpds.portal.sftp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.ecpds.portal.DeniedEvents;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Password logins checked by the backend; the granted user is kept on the SSH session. */
final class PortalPasswordAuthenticator implements PasswordAuthenticator {
  static final AttributeKey<PortalUser> USER = new AttributeKey<>();
  private static final Logger LOG = LoggerFactory.getLogger(PortalPasswordAuthenticator.class);

  private final PortalBackend backend;
  private final String moverName;

  PortalPasswordAuthenticator(PortalBackend backend, String moverName) {
    this.backend = backend;
    this.moverName = moverName;
  }

  @Override
  public boolean authenticate(String username, String password, ServerSession session) {
    String remote = remoteAddress(session);
    Optional<PortalUser> user;
    try {
      user = backend.authenticate(username, password, PortalSftpServer.PROTOCOL, remote);
    } catch (RuntimeException e) {
      LOG.warn("authentication of {} from {} failed: {}", username, remote, e.toString());
      user = Optional.empty();
    }
    if (user.isEmpty()) {
      DeniedEvents.report(backend, username, "Password authentication failed", PortalSftpServer.PROTOCOL,
          remote, moverName);
      return false;
    }
    session.setAttribute(USER, user.get());
    return true;
  }

  static String remoteAddress(ServerSession session) {
    SocketAddress a = session.getClientAddress();
    if (a instanceof InetSocketAddress inet && inet.getAddress() != null) return inet.getAddress().getHostAddress();
    return String.valueOf(a);
  }
}
