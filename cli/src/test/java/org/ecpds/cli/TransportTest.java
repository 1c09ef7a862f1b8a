package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.common.tls.TlsMaterial;
import org.junit.jupiter.api.Test;

/**
 * A connection that breaks after the whole body was sent is "outcome unknown" (the peer may have stored the
 * file), never a refusal. (HttpsURLConnection reports a write to a broken connection only sometimes: its request
 * stream is a PrintStream that records the error instead of throwing it. So a break while sending is a failure
 * when the client sees it, and "unknown" otherwise — never a false "refused" for a file that was stored.)
 */
class TransportTest {
  private static final TlsMaterial TLS = TlsMaterial.generate(List.of("localhost"));
  private static final String SMALL = "x".repeat(200_000);

  @Test
  void answerLostAfterTheWholeBodyIsUnknown() throws Exception {
    try (ServerSocket server = listen()) {
      CompletableFuture<Integer> read = serveOnce(server, SMALL, Integer.MAX_VALUE);
      assertThatThrownBy(() -> send(server, SMALL, true))
          .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.UNKNOWN))
          .hasMessageContaining("after the whole body was sent");
      assertThat(read.get()).as("the server had every byte").isEqualTo(SMALL.length());
    }
  }

  @Test
  void aRequestThatStoresNothingByItselfIsAFailureWhenItsAnswerIsLost() throws Exception {
    try (ServerSocket server = listen()) {
      serveOnce(server, SMALL, Integer.MAX_VALUE);
      assertThatThrownBy(() -> send(server, SMALL, false))
          .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.REFUSED));
    }
  }

  private static ServerSocket listen() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  private static void send(ServerSocket server, String body, boolean lostAnswerIsUnknown) throws CliException {
    Transport t = new Transport("test peer", "test", PemTrust.trusting(List.of(TLS.certificatePem())),
        Duration.ofSeconds(10), lostAnswerIsUnknown);
    t.send("PUT", URI.create("https://localhost:" + server.getLocalPort() + "/upload"), Map.of(),
        Transport.Body.of(body), Duration.ofSeconds(30));
  }

  /** Reads the request head and up to {@code limit} body bytes, then closes without answering. */
  private static CompletableFuture<Integer> serveOnce(ServerSocket server, String body, int limit) {
    return CompletableFuture.supplyAsync(() -> {
      // TLS over a plain socket that is then dropped with a reset: no close_notify, no draining, as when
      // the process on the other side is killed
      try (Socket raw = server.accept()) {
        SSLSocket s = (SSLSocket) TLS.serverContext().getSocketFactory().createSocket(raw, null, raw.getPort(), false);
        s.setUseClientMode(false);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) return -1;
          head.write(b);
        }
        int got = 0;
        byte[] buf = new byte[8192];
        while (got < Math.min(limit, body.length())) {
          int n = in.read(buf, 0, Math.min(buf.length, Math.min(limit, body.length()) - got));
          if (n < 0) break;
          got += n;
        }
        raw.setSoLinger(true, 0);
        return got;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
