package org.ecpds.mover.upload;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.HttpsURLConnection;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every upload request gets its answer, and a connection the server is going to close is announced
 * as such ({@code Connection: close}), so a client never sends its next upload into a dead
 * connection. Answers given before the body was read (401, 409, 503...) are the delicate case.
 */
class UploadAnswersTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final UploadTokens TOKENS = new UploadTokens("answers-secret");
  @TempDir static Path dir;
  static UploadServer server;
  static SSLContext trust;
  static final AtomicBoolean connected = new AtomicBoolean(true);
  /** Counted down each time the handler asks whether the master is connected (its last check before the body). */
  static volatile CountDownLatch connectedAsked = new CountDownLatch(1);
  static final AtomicLong ids = new AtomicLong(1);

  @BeforeAll
  static void start() throws Exception {
    TlsMaterial tls = TlsMaterial.generate(List.of("127.0.0.1"));
    StoredReporter ackingMaster = new StoredReporter() {
      @Override
      public boolean isConnected() {
        connectedAsked.countDown();
        return connected.get();
      }

      @Override
      public CompletableFuture<StoredAck> reportStored(Stored stored) {
        return CompletableFuture.completedFuture(StoredAck.newBuilder().setOk(true).build());
      }
    };
    server = new UploadServer("127.0.0.1", 0, tls, DataStore.open(List.of(dir.resolve("vol"))), TOKENS, ackingMaster,
        Duration.ofSeconds(10), "mover-answers",
        // this test sends many forged tokens on purpose to study early answers; throttling is UploadGuardTest's
        new LoginGuard(new LoginGuard.Settings(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(15), 100), java.time.Clock.systemUTC()));
    server.start();
    trust = PemTrust.trusting(List.of(tls.certificatePem()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) server.close();
  }

  static String token(long id) {
    return TOKENS.issue(id, System.currentTimeMillis() + 60_000);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static URI uri(long id) {
    return URI.create(server.url("127.0.0.1") + "/upload/" + id);
  }

  /**
   * The JDK client pools connections: an answer given before the body was read used to leave the
   * connection looking reusable while the server closed it, so the next PUT on it failed with
   * "HTTP/1.1 header parser received no bytes" (PUT is not retried). CPU load widens the window.
   */
  @Test
  void pooledClientGetsEveryAnswerUnderLoad() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trust).build();
    List<Thread> burners = new ArrayList<>();
    AtomicBoolean burn = new AtomicBoolean(true);
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      Thread t = new Thread(() -> {
        while (burn.get()) Thread.onSpinWait();
      }, "burner-" + i);
      t.setDaemon(true);
      t.start();
      burners.add(t);
    }
    try {
      for (int round = 0; round < 25; round++) {
        long id = ids.getAndIncrement();
        byte[] big = random(3 * 1024 * 1024 + round);
        assertThat(send(http, id, token(id), big).statusCode()).isEqualTo(200);
        HttpResponse<String> again = send(http, id, token(id), big);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("already stored");
        long bad = ids.getAndIncrement();
        assertThat(send(http, bad, "1.forged", new byte[10]).statusCode()).isEqualTo(401);
        long small = ids.getAndIncrement();
        assertThat(send(http, small, token(small), new byte[10]).statusCode()).isEqualTo(200);
      }
    } finally {
      burn.set(false);
      for (Thread t : burners) t.join();
    }
  }

  /**
   * A file announced bigger than the free space is refused with 507 and a reason before its body
   * is invited (no "100 Continue"), so the client reads the answer instead of a broken write.
   */
  @Test
  void aFileThatCannotFitIsRefusedBeforeItsBodyIsSent() throws Exception {
    long id = ids.getAndIncrement();
    long tooBig = dir.toFile().getUsableSpace() + (1L << 40);
    try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      s.getOutputStream().write(("PUT /upload/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
          + token(id) + "\r\nExpect: 100-continue\r\nX-Ecpds-Size: " + tooBig + "\r\nContent-Length: " + tooBig
          + "\r\n\r\n").getBytes(US_ASCII));
      s.getOutputStream().flush();

      String answer = readResponse(s.getInputStream());

      assertThat(answer).startsWith("HTTP/1.1 507 ").contains("no room for data file " + id)
          .contains(tooBig + " bytes announced");
    }
  }

  static HttpResponse<String> send(HttpClient http, long id, String token, byte[] body) throws Exception {
    HttpRequest r = HttpRequest.newBuilder(uri(id)).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(WAIT)
        .header("Authorization", "Bearer " + token).build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Like the ecpds CLI (HttpsURLConnection, fixed-length streaming): it writes the whole body before
   * it reads anything, so a refusal is only seen when the server reads the body instead of closing.
   */
  @Test
  void streamingClientSeesARefusalOfAFileAlreadyStored() throws Exception {
    long id = ids.getAndIncrement();
    // larger than what loopback socket buffers absorb, so the client is still writing when refused
    byte[] body = random(16 * 1024 * 1024);
    assertThat(cliPut(id, token(id), body)).startsWith("200 ");
    assertThat(cliPut(id, token(id), body)).startsWith("409 ").contains("already stored");
    // HttpURLConnection drops the body of a 401 in streaming mode (it cannot retry the authentication)
    assertThat(cliPut(ids.getAndIncrement(), "1.forged", body)).startsWith("401 ");
  }

  static String cliPut(long id, String token, byte[] body) throws IOException {
    HttpsURLConnection c = (HttpsURLConnection) uri(id).toURL().openConnection();
    c.setSSLSocketFactory(trust.getSocketFactory());
    c.setConnectTimeout((int) WAIT.toMillis());
    c.setReadTimeout((int) WAIT.toMillis());
    c.setRequestMethod("PUT");
    c.setRequestProperty("Authorization", "Bearer " + token);
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(body.length);
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    int status = c.getResponseCode();
    InputStream in = status >= HttpURLConnection.HTTP_BAD_REQUEST ? c.getErrorStream() : c.getInputStream();
    return status + " " + (in == null ? "" : new String(in.readAllBytes(), US_ASCII));
  }

  /**
   * The mechanism without timing luck: the handler decides (503, master away) while the body is
   * still in the client's hands. Whatever the server then does, its answer must either say
   * "Connection: close" or leave the connection able to carry the next request. Repeated because
   * the body can still win the race to the server once in a while.
   */
  @RepeatedTest(20)
  void answerBeforeTheBodyArrivedKeepsTheConnectionHonest() throws Exception {
    connected.set(false);
    connectedAsked = new CountDownLatch(1);
    try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      s.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      long id = ids.getAndIncrement();
      out.write(("PUT /upload/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token(id)
          + "\r\nContent-Length: 10\r\n\r\n").getBytes(US_ASCII));
      out.flush();
      assertThat(connectedAsked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      out.write(new byte[10]);
      out.flush();

      String first = readResponse(in);
      assertThat(first).startsWith("HTTP/1.1 503 ").contains("not connected to the master");
      if (!first.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n")) {
        String next;
        try {
          out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(US_ASCII));
          out.flush();
          next = readResponse(in);
        } catch (IOException e) {
          next = e.toString();
        }
        assertThat(next).as("the answer did not announce a close, so the connection must carry the next request")
            .startsWith("HTTP/1.1 200 ");
      }
    } finally {
      connected.set(true);
    }
  }

  /** Reads one response (headers plus a Content-Length body); "" when the server closed first. */
  static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      String h = head.toString(US_ASCII);
      if (h.endsWith("\r\n\r\n")) {
        int length = 0;
        for (String line : h.split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        return h + new String(in.readNBytes(length), US_ASCII);
      }
    }
    return head.toString(US_ASCII);
  }
}
