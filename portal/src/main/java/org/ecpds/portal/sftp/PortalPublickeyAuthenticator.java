package org.ecpds.portal.sftp;

import java.security.PublicKey;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalLogin;

/**
 * Public-key logins through {@link PortalLogin#publicKey} (the master holds the users' keys). MINA asks
 * once when the client offers a key and again with its signature; each answer opens the session anew
 * (the first one is replaced, see {@link SshLogins#attach}).
 */
final class PortalPublickeyAuthenticator implements PublickeyAuthenticator {
  private final PortalLogin login;

  PortalPublickeyAuthenticator(PortalLogin login) {
    this.login = login;
  }

  @Override
  public boolean authenticate(String username, PublicKey key, ServerSession session) {
    try {
      SshLogins.attach(session, login.publicKey(username, key, PortalSftpServer.PROTOCOL, SshLogins.remote(session)));
      return true;
    } catch (LoginException e) {
      return false;
    }
  }
}
