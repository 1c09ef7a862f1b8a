package org.ecpds.portal.ftp;

import org.apache.ftpserver.ftplet.Authentication;
import org.apache.ftpserver.ftplet.AuthenticationFailedException;
import org.apache.ftpserver.ftplet.User;
import org.apache.ftpserver.ftplet.UserManager;

/**
 * FtpServer insists on a user manager; the portal's users live in the master and log in through
 * {@link LoginCommand}, so this one knows nobody and refuses everything.
 */
final class RefusingUserManager implements UserManager {
  @Override public User getUserByName(String username) { return null; }
  @Override public String[] getAllUserNames() { return new String[0]; }
  @Override public void delete(String username) {}
  @Override public void save(User user) { throw new UnsupportedOperationException("portal users are managed by the master"); }
  @Override public boolean doesExist(String username) { return false; }

  @Override
  public User authenticate(Authentication authentication) throws AuthenticationFailedException {
    throw new AuthenticationFailedException("portal logins go through the portal's PASS");
  }

  @Override public String getAdminName() { return null; }
  @Override public boolean isAdmin(String username) { return false; }
}
