package org.ecpds.common.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private key and certificate for a listener. Loaded from cert.pem/key.pem in a directory, or
 * generated there (self-signed, EC P-256) on first start so that every listener speaks TLS
 * without any set-up. Operators replace the two PEM files with real ones.
 */
public final class TlsMaterial {
  public static final char[] STORE_PASSWORD = "ecpds-in-memory".toCharArray();

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final Path certificateFile;

  private TlsMaterial(PrivateKey key, X509Certificate certificate, Path certificateFile) {
    this.key = key;
    this.certificate = certificate;
    this.certificateFile = certificateFile;
  }

  /** Loads dir/cert.pem + dir/key.pem, generating them first when absent. */
  public static synchronized TlsMaterial loadOrCreate(Path dir, List<String> hostNames) {
    try {
      Files.createDirectories(dir);
      Path cert = dir.resolve("cert.pem");
      Path key = dir.resolve("key.pem");
      if (!Files.exists(cert) || !Files.exists(key)) {
        TlsMaterial fresh = generate(hostNames);
        writeAtomically(key, fresh.privateKeyPem(), true);
        writeAtomically(cert, fresh.certificatePem(), false);
      }
      return new TlsMaterial(readKey(Files.readString(key)), PemTrust.readCertificate(Files.readString(cert)), cert);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load or create TLS material in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A throw-away self-signed certificate kept in memory only (tests, in-process links). */
  public static TlsMaterial generate(List<String> hostNames) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      KeyPair pair = gen.generateKeyPair();
      List<String> names = new ArrayList<>(hostNames);
      for (String n : List.of("localhost", "127.0.0.1", "::1")) {
        if (!names.contains(n)) names.add(n);
      }
      X500Name subject = new X500Name("CN=" + names.get(0) + ",O=ecpds");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
          Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
      GeneralName[] alt = names.stream()
          .map(n -> n.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, n)
              : new GeneralName(GeneralName.dNSName, n))
          .toArray(GeneralName[]::new);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
      return new TlsMaterial(pair.getPrivate(), cert, null);
    } catch (Exception e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    }
  }

  public PrivateKey privateKey() {
    return key;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The PEM file holding the certificate, or null when the material lives in memory only. */
  public Path certificateFile() {
    return certificateFile;
  }

  public String certificatePem() {
    return pem(certificate);
  }

  /** PKCS#8 PEM ("PRIVATE KEY"), the form every TLS stack reads. */
  public String privateKeyPem() {
    String b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
  }

  public String fingerprintSha256() {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public KeyStore keyStore() {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("ecpds", key, STORE_PASSWORD, new X509Certificate[] {certificate});
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public SSLContext serverContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore(), STORE_PASSWORD);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PrivateKey readKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) return conv.getKeyPair(kp).getPrivate();
      if (o instanceof PrivateKeyInfo pki) return conv.getPrivateKey(pki);
      throw new IOException("unsupported private key PEM: " + (o == null ? "empty" : o.getClass().getSimpleName()));
    }
  }

  private static String pem(Object o) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return sw.toString();
  }

  private static void writeAtomically(Path file, String content, boolean secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    if (secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // non-POSIX file system
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
