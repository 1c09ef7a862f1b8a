package org.ecpds.portal.sftp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.session.ServerSession;
import org.ecpds.portal.fs.PortalFs;

/**
 * The portal session of an SSH connection: one PortalFs per connection whatever the number of channels,
 * replaced when the client authenticates again (a key offered then a password) and closed with the
 * connection, which releases its slot in the user's session cap.
 */
final class SshLogins implements SessionListener {
  static final AttributeKey<PortalFs> FS = new AttributeKey<>();

  static void attach(ServerSession session, PortalFs fs) {
    PortalFs previous = session.setAttribute(FS, fs);
    if (previous != null && previous != fs) previous.close();
  }

  @Override
  public void sessionClosed(Session session) {
    PortalFs fs = session.removeAttribute(FS);
    if (fs != null) fs.close();
  }

  static InetSocketAddress remote(ServerSession session) {
    SocketAddress a = session.getClientAddress();
    return a instanceof InetSocketAddress inet ? inet : null;
  }
}
