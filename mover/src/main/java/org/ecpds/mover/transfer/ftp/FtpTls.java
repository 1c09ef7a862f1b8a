package org.ecpds.mover.transfer.ftp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * The TLS context of an FTPS session. Three policies, from {@code ftps.trustCert} and
 * {@code ftps.strict}:
 * <ol>
 *   <li>{@code ftps.trustCert} set (PEM text, or the path of a PEM file): only a server whose
 *       chain ends in (or whose own certificate is) one of those certificates is accepted;</li>
 *   <li>otherwise {@code ftps.strict=yes}: the JVM's default trust store plus host name check;</li>
 *   <li>otherwise (the default, as OpenECPDS with {@code strict=false}): <b>any certificate is
 *       accepted</b> — the channel is encrypted but the server is not authenticated.</li>
 * </ol>
 */
final class FtpTls {
  private FtpTls() {}

  static SSLContext context(FtpOptions o) throws TransferException {
    try {
      SSLContext ctx = SSLContext.getInstance(o.tlsProtocol());
      TrustManager tm;
      if (o.trustCert() != null) {
        tm = pinned(o.trustCert());
      } else if (o.strict()) {
        tm = defaultTrust(null);
      } else {
        tm = ACCEPT_ANY;
      }
      ctx.init(null, new TrustManager[] {tm}, null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new TransferException(ErrorKind.LOCAL, "cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** A trust manager whose only anchors are the given PEM certificates. */
  static X509TrustManager pinned(String pemOrPath) throws GeneralSecurityException, IOException {
    String pem = pemOrPath.contains("-----BEGIN") ? pemOrPath : Files.readString(Path.of(pemOrPath.trim()));
    Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    if (certs.isEmpty()) throw new GeneralSecurityException("ftps.trustCert holds no certificate");
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (Certificate c : certs) ks.setCertificateEntry("trusted-" + i++, c);
    return defaultTrust(ks);
  }

  private static X509TrustManager defaultTrust(KeyStore ks) throws GeneralSecurityException {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    for (TrustManager t : f.getTrustManagers()) {
      if (t instanceof X509TrustManager x) return x;
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  private static final X509TrustManager ACCEPT_ANY = new X509TrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      // we are the client
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // documented policy: without ftps.trustCert or ftps.strict, any server certificate is accepted
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  };
}
