package org.ecpds.portal.ftp;

import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.ssl.SslConfiguration;

/**
 * The shared data-connection settings with data connections protected from the start, for the implicit
 * FTPS listener. Sharing keeps one pool of passive ports for all listeners.
 */
final class ImplicitTlsData implements DataConnectionConfiguration {
  private final DataConnectionConfiguration shared;

  ImplicitTlsData(DataConnectionConfiguration shared) {
    this.shared = shared;
  }

  @Override public int getIdleTime() { return shared.getIdleTime(); }
  @Override public boolean isActiveEnabled() { return shared.isActiveEnabled(); }
  @Override public boolean isActiveIpCheck() { return shared.isActiveIpCheck(); }
  @Override public String getActiveLocalAddress() { return shared.getActiveLocalAddress(); }
  @Override public int getActiveLocalPort() { return shared.getActiveLocalPort(); }
  @Override public String getPassiveAddress() { return shared.getPassiveAddress(); }
  @Override public String getPassiveExernalAddress() { return shared.getPassiveExernalAddress(); }
  @Override public String getPassivePorts() { return shared.getPassivePorts(); }
  @Override public boolean isPassiveIpCheck() { return shared.isPassiveIpCheck(); }
  @Override public int requestPassivePort() { return shared.requestPassivePort(); }
  @Override public void releasePassivePort(int port) { shared.releasePassivePort(port); }
  @Override public SslConfiguration getSslConfiguration() { return shared.getSslConfiguration(); }
  @Override public boolean isImplicitSsl() { return true; }
}
