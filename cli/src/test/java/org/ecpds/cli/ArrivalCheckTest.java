package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.common.tls.TlsMaterial;
import org.junit.jupiter.api.Test;

/**
 * An unconfirmed push is settled by the master's answers only. A master that drops the connection
 * after the TLS handshake (killed, restarting, or a kept-alive connection gone stale) says nothing
 * about the data file: the CLI keeps asking, and reports "stored" once the master says it arrived.
 * (KillFaultsTest once saw a push reported as failed whose file was then delivered.)
 */
class ArrivalCheckTest {
  private static final TlsMaterial TLS = TlsMaterial.generate(List.of("localhost"));

  @Test
  void droppedConnectionsAreNotARefusal() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger requests = new AtomicInteger();
      Thread master = serve(server, requests, 3, 200, "{\"status\":\"ok\",\"datafile\":{\"arrived\":true}}");
      check(server, Duration.ofSeconds(30)).settle(unconfirmed());
      assertThat(requests.get()).as("three dropped questions, then the answer").isEqualTo(4);
      master.interrupt();
    }
  }

  @Test
  void theMastersRefusalIsFinal() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      AtomicInteger requests = new AtomicInteger();
      Thread master = serve(server, requests, 1, 404, "{\"status\":\"error\",\"message\":\"no data file 7\"}");
      assertThatThrownBy(() -> check(server, Duration.ofSeconds(30)).settle(unconfirmed()))
          .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCodes.REFUSED))
          .hasMessageContaining("is not stored").hasMessageContaining("no data file 7");
      master.interrupt();
    }
  }

  private static ArrivalCheck check(ServerSocket server, Duration timeout) throws Exception {
    MasterClient client = new MasterClient(new Endpoint("localhost", server.getLocalPort()),
        PemTrust.trusting(List.of(TLS.certificatePem())), Duration.ofSeconds(10));
    return new ArrivalCheck(client, new Credentials("alice", "secret"), timeout);
  }

  private static ArrivalUnconfirmed unconfirmed() {
    return new ArrivalUnconfirmed(7, "the mover could not confirm the arrival", null);
  }

  /** A master that reads each request and drops the first {@code drops} without answering, then answers. */
  private static Thread serve(ServerSocket server, AtomicInteger requests, int drops, int status, String body) {
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket raw = server.accept()) {
          SSLSocket s = (SSLSocket) TLS.serverContext().getSocketFactory().createSocket(raw, null, raw.getPort(), false);
          s.setUseClientMode(false);
          readHead(s.getInputStream());
          if (requests.incrementAndGet() <= drops) {
            raw.setSoLinger(true, 0); // a reset, as from a killed process
            continue;
          }
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + b.length
              + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(b);
          out.flush();
        } catch (IOException e) {
          if (server.isClosed()) return;
        }
      }
    }, "fake-master");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed before the request head");
      head.write(b);
    }
  }
}
