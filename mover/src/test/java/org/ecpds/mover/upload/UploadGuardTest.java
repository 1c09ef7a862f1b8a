package org.ecpds.mover.upload;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.mover.link.StoredReporter;
import org.ecpds.mover.store.DataStore;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused upload tokens (CLI uploads): DEA lines with the mover and the client address, and an
 * address that keeps sending bad tokens answered 429 + Retry-After, while other addresses upload.
 */
class UploadGuardTest {
  private static final UploadTokens TOKENS = new UploadTokens("guard-secret");
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  @TempDir Path dir;
  private UploadServer server;
  private SSLContext trust;
  private EventLines events;

  @BeforeEach
  void start() throws Exception {
    TlsMaterial tls = TlsMaterial.generate(List.of("127.0.0.1"));
    StoredReporter master = new StoredReporter() {
      @Override
      public boolean isConnected() {
        return true;
      }

      @Override
      public CompletableFuture<StoredAck> reportStored(Stored stored) {
        return CompletableFuture.completedFuture(StoredAck.newBuilder().setOk(true).build());
      }
    };
    server = new UploadServer("127.0.0.1", 0, tls, DataStore.open(List.of(dir.resolve("vol"))), TOKENS, master,
        Duration.ofSeconds(10), "mover-g", new LoginGuard(LoginGuard.DEFAULTS, clock));
    server.start();
    trust = PemTrust.trusting(List.of(tls.certificatePem()));
    events = new EventLines();
  }

  @AfterEach
  void stop() throws Exception {
    events.close();
    server.close();
  }

  @Test
  void badTokensAreAuditedThenTheAddressWaitsWhileOthersUpload() throws Exception {
    for (long id = 1; id <= 3; id++) assertThat(put("127.0.0.1", id, "1.forged")).startsWith("HTTP/1.1 401 ");
    String slowed = put("127.0.0.1", 4, "1.forged");
    assertThat(slowed).startsWith("HTTP/1.1 429 ").containsIgnoringCase("\r\nRetry-After: 1\r\n")
        .contains("too many invalid upload tokens");
    // the waiting address is refused even with a valid token; another address is not
    assertThat(put("127.0.0.1", 5, valid(5))).startsWith("HTTP/1.1 429 ");
    assertThat(put("127.0.0.2", 6, valid(6))).startsWith("HTTP/1.1 200 ");
    clock.advance(Duration.ofSeconds(1));
    assertThat(put("127.0.0.1", 5, valid(5))).startsWith("HTTP/1.1 200 ");

    assertThat(events.denied()).containsExactly(
        "DEA;UserId=;Message=Invalid upload token for DataFileId 1;Context=ecpds,mover-g,127.0.0.1",
        "DEA;UserId=;Message=Invalid upload token for DataFileId 2;Context=ecpds,mover-g,127.0.0.1",
        "DEA;UserId=;Message=Invalid upload token for DataFileId 3;Context=ecpds,mover-g,127.0.0.1",
        "DEA;UserId=;Message=Invalid upload token for DataFileId 4;Context=ecpds,mover-g,127.0.0.1",
        "DEA;UserId=;Message=Too many failed attempts from this address;Context=ecpds,mover-g,127.0.0.1");
  }

  private static String valid(long id) {
    return TOKENS.issue(id, System.currentTimeMillis() + 60_000);
  }

  /** PUT of a small body from the given local address (the JDK HTTP clients cannot choose it). */
  private String put(String from, long id, String token) throws Exception {
    try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"),
        server.port(), InetAddress.getByName(from), 0)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write(("PUT /upload/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
          + "\r\nContent-Length: 10\r\n\r\n").getBytes(US_ASCII));
      out.write(new byte[10]);
      out.flush();
      return UploadAnswersTest.readResponse(s.getInputStream());
    }
  }
}
