package org.ecpds.portal.ftp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.ecpds.common.tls.TlsMaterial;

/** The mover's TLS material for the control and data connections; TLS 1.2 and 1.3, no client certificates. */
final class TlsMaterialSslConfiguration implements SslConfiguration {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private final SSLContext context;

  TlsMaterialSslConfiguration(TlsMaterial tls) {
    this.context = tls.serverContext();
  }

  @Override public SSLSocketFactory getSocketFactory() { return context.getSocketFactory(); }
  @Override public SSLContext getSSLContext() { return context; }
  @Override public SSLContext getSSLContext(String protocol) { return context; }
  @Override public String[] getEnabledCipherSuites() { return null; }
  @Override public String getEnabledProtocol() { return PROTOCOLS[0]; }
  @Override public String[] getEnabledProtocols() { return PROTOCOLS.clone(); }
  @Override public ClientAuth getClientAuth() { return ClientAuth.NONE; }
}
