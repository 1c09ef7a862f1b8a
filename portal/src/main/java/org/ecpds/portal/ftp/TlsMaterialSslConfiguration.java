package org.ecpds.portal.ftp;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.apache.ftpserver.ssl.ClientAuth;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.ecpds.common.tls.TlsMaterial;

/**
 * The mover's TLS material, no client certificates. Control connections speak TLS 1.3 or 1.2. Data
 * connections speak TLS 1.2 only: FtpServer closes a data socket right after writing, and a TLS 1.3
 * server may write before the client's Finished arrived, so closing then makes Java send user_canceled,
 * which Go clients (rclone) treat as fatal ("remote error: tls: user canceled").
 */
final class TlsMaterialSslConfiguration implements SslConfiguration {
  private static final String[] CONTROL = {"TLSv1.3", "TLSv1.2"};
  private static final String[] DATA = {"TLSv1.2"};
  private final SSLContext context;
  private final String[] protocols;

  private TlsMaterialSslConfiguration(SSLContext context, String[] protocols) {
    this.context = context;
    this.protocols = protocols;
  }

  static TlsMaterialSslConfiguration control(TlsMaterial tls) {
    return new TlsMaterialSslConfiguration(tls.serverContext(), CONTROL);
  }

  /** Shares the control connections' context, so that clients can resume their TLS session. */
  TlsMaterialSslConfiguration forData() {
    return new TlsMaterialSslConfiguration(context, DATA);
  }

  @Override public SSLSocketFactory getSocketFactory() { return context.getSocketFactory(); }
  @Override public SSLContext getSSLContext() { return context; }
  @Override public SSLContext getSSLContext(String protocol) { return context; }
  @Override public String[] getEnabledCipherSuites() { return null; }
  @Override public String getEnabledProtocol() { return protocols[0]; }
  @Override public String[] getEnabledProtocols() { return protocols.clone(); }
  @Override public ClientAuth getClientAuth() { return ClientAuth.NONE; }
}
