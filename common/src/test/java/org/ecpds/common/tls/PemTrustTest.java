package org.ecpds.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class PemTrustTest {
  private static final TlsMaterial A = TlsMaterial.generate(List.of("a.example"));
  private static final TlsMaterial B = TlsMaterial.generate(List.of("b.example"));

  @Test
  void aHandshakeSucceedsWithThePinnedCertificateOnly() throws Exception {
    assertEquals("ok", handshake(A, PemTrust.trusting(List.of(A.certificatePem()))));
    assertThrows(SSLHandshakeException.class, () -> handshake(B, PemTrust.trusting(List.of(A.certificatePem()))));
    assertEquals("ok", handshake(B, PemTrust.trusting(List.of(A.certificatePem(), B.certificatePem()))));
  }

  @Test
  void readsEveryCertificateOfAText() throws Exception {
    assertEquals(2, PemTrust.readCertificates(A.certificatePem() + B.certificatePem()).size());
    PemTrust.trusting(List.of(A.certificatePem() + B.certificatePem()));
  }

  @Test
  void refusesTextWithoutACertificate() {
    assertThrows(IllegalArgumentException.class, () -> PemTrust.trusting(List.of("")));
    assertThrows(IllegalArgumentException.class, () -> PemTrust.trusting(List.of()));
    assertThrows(IllegalArgumentException.class, () -> PemTrust.trusting(List.of(A.privateKeyPem())));
    assertThrows(GeneralSecurityException.class, () -> PemTrust.readCertificate(""));
  }

  @Test
  void refusesABrokenCertificate() {
    String pem = A.certificatePem();
    int middle = pem.indexOf('\n') + 40;
    String broken = pem.substring(0, middle) + "!!!!" + pem.substring(middle + 4);
    assertThrows(IllegalArgumentException.class, () -> PemTrust.trusting(List.of(broken)));
  }

  /** One TLS connection on loopback: the server presents {@code server}'s certificate and answers "ok". */
  private static String handshake(TlsMaterial server, SSLContext client) throws Exception {
    try (SSLServerSocket listener = (SSLServerSocket) server.serverContext().getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (Socket s = listener.accept()) {
          s.setSoTimeout(10_000);
          s.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        } catch (IOException refusedByTheClient) {
          // the client's side of the test says what happened
        }
      });
      try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
          listener.getLocalPort())) {
        s.setSoTimeout(10_000);
        s.startHandshake();
        return new String(s.getInputStream().readNBytes(2), StandardCharsets.US_ASCII);
      } finally {
        served.get(10, TimeUnit.SECONDS);
      }
    }
  }
}
