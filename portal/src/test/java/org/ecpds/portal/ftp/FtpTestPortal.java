package org.ecpds.portal.ftp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.MemoryPortal;

/** A MemoryPortal with one user, one granted and one hidden destination, and a server over it. */
final class FtpTestPortal implements AutoCloseable {
  static final String USER = "alice";
  final String password = "pw-" + HexFormat.of().formatHex(random(8));
  final byte[] report = random(300_000 + 17);
  final MemoryPortal portal = new MemoryPortal().user(USER, password).grant(USER, "DEST").destination("OTHER")
      .file("/DEST/data/report.bin", report).file("/OTHER/secret.bin", random(100));
  final PortalFtpServer server;

  FtpTestPortal(FtpPortalSettings settings) throws Exception {
    server = new PortalFtpServer(portal, settings, TlsMaterial.generate(List.of("localhost")), "test-mover");
    server.start();
  }

  /** Every listener on a free loopback port, refusals answered after 200 ms. */
  static FtpPortalSettings settings() {
    return FtpPortalSettings.loopbackAnyPorts().withLimits(Duration.ofMinutes(1), 20, 3, Duration.ofMillis(200));
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
