package org.ecpds.common.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * PEM certificates read and trusted with the JDK alone. Kept apart from {@link TlsMaterial} (which
 * generates keys with BouncyCastle) so that a client which only pins certificates, such as the
 * `ecpds` command, never loads a class from BouncyCastle's signed jar: the first one costs a
 * verification of the whole jar's signature, about an eighth of a second at every start.
 */
public final class PemTrust {
  private PemTrust() {}

  /**
   * A client context that trusts exactly the given PEM certificates (self-signed pinning).
   *
   * @throws IllegalArgumentException when a text is not PEM certificates or none holds one: a context that
   *     trusts nothing is never what a caller means
   */
  public static SSLContext trusting(List<String> certificatePems) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (String pem : certificatePems) certificates.addAll(readCertificates(pem));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) throw new IllegalArgumentException("no certificate in the PEM text");
    try {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      int i = 0;
      for (X509Certificate c : certificates) ts.setCertificateEntry("trusted-" + i++, c);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException("cannot build a trust store: " + e.getMessage(), e);
    }
  }

  /** The first certificate of the PEM text. */
  public static X509Certificate readCertificate(String pem) throws GeneralSecurityException {
    List<X509Certificate> all = readCertificates(pem);
    if (all.isEmpty()) throw new GeneralSecurityException("no certificate in PEM text");
    return all.get(0);
  }

  /** Every certificate of the PEM text, in order (none for text without one). */
  public static List<X509Certificate> readCertificates(String pem) throws GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    List<X509Certificate> out = new ArrayList<>();
    for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      out.add((X509Certificate) c);
    }
    return out;
  }
}
