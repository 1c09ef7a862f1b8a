package org.ecpds.portal.ftp;

import java.util.List;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.AuthorizationRequest;
import org.apache.ftpserver.ftplet.User;
import org.ecpds.portal.fs.PortalFs;

/**
 * A logged-in FTP user: carries the portal session to the file system view. FtpServer's own
 * authorities are not used; every permission is the portal file system's to decide.
 */
final class PortalFtpUser implements User {
  private final PortalFs fs;
  private final int maxIdleSeconds;

  PortalFtpUser(PortalFs fs, int maxIdleSeconds) {
    this.fs = fs;
    this.maxIdleSeconds = maxIdleSeconds;
  }

  PortalFs fs() {
    return fs;
  }

  @Override public String getName() { return fs.user(); }
  @Override public String getPassword() { return null; }
  @Override public List<? extends Authority> getAuthorities() { return List.of(); }
  @Override public List<? extends Authority> getAuthorities(Class<? extends Authority> clazz) { return List.of(); }

  /** Granted as asked: transfer rates unlimited, writes left to the portal file system. */
  @Override public AuthorizationRequest authorize(AuthorizationRequest request) { return request; }

  @Override public int getMaxIdleTime() { return maxIdleSeconds; }
  @Override public boolean getEnabled() { return true; }
  @Override public String getHomeDirectory() { return "/"; }
}
