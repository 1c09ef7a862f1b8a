package org.ecpds.mover.transfer.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.NginxServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the conformance suite does not cover: JSON listing, auth variants, TLS trust, statuses, idle timeouts. */
class HttpModuleTest {
  private static NginxServer nginx;
  private static HttpModuleFactory factory;

  @BeforeAll
  static void start() {
    nginx = NginxServer.start();
    factory = new HttpModuleFactory();
  }

  @AfterAll
  static void stop() {
    if (factory != null) factory.close();
    if (nginx != null) nginx.close();
  }

  private static HostSpec.Builder host(int port) {
    return HostSpec.newBuilder().setName("nginx").setTransferMethod("http").setAddress("127.0.0.1").setPort(port)
        .setLogin(nginx.user()).setPassword(nginx.password()).putOptions("ectrans.connectTimeout", "5s");
  }

  private static TransferModule connect(HostSpec h) throws TransferException {
    TransferModule m = factory.create();
    m.connect(h, h.getOptionsMap());
    return m;
  }

  private static ErrorKind kindOf(ThrowingRunnable r) {
    try {
      r.run();
    } catch (TransferException e) {
      System.out.println(e.kind() + ": " + e.getMessage()); // in the surefire output file
      return e.kind();
    } catch (Exception e) {
      throw new AssertionError("not a TransferException", e);
    }
    throw new AssertionError("no failure");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static void put(TransferModule m, String path, String content) throws TransferException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    m.put(new ByteArrayInputStream(b), b.length, path, ProgressListener.NONE);
  }

  @Test
  void jsonListingAutoDetectedAndForced() throws Exception {
    try (TransferModule m = connect(host(nginx.port()).build())) {
      put(m, "json/a.txt", "abc");
      put(m, "json/d/b.txt", "x");
    }
    for (String format : List.of("auto", "json")) {
      try (TransferModule m = connect(host(nginx.jsonPort()).putOptions("http.listFormat", format).build())) {
        List<RemoteFile> l = m.list("json");
        assertThat(l).extracting(RemoteFile::name).containsExactlyInAnyOrder("a.txt", "d");
        RemoteFile a = l.stream().filter(f -> f.name().equals("a.txt")).findFirst().orElseThrow();
        assertThat(a.size()).isEqualTo(3);
        assertThat(a.modifiedMillis()).isBetween(System.currentTimeMillis() - 600_000, System.currentTimeMillis() + 60_000);
        assertThat(l.stream().filter(RemoteFile::directory)).extracting(RemoteFile::name).containsExactly("d");
      }
    }
    try (TransferModule m = connect(host(nginx.port()).putOptions("http.listFormat", "html").build())) {
      assertThat(m.list("json/")).extracting(RemoteFile::name).containsExactlyInAnyOrder("a.txt", "d");
      assertThat(kindOf(() -> m.list("json/missing"))).isEqualTo(ErrorKind.NOT_FOUND);
    }
  }

  @Test
  void bearerTokenIsSentAndRefusedByABasicOnlyServer() {
    HostSpec h = host(nginx.port()).putOptions("http.bearerToken", "abc.def").build();
    assertThatThrownBy(() -> {
      try (TransferModule m = connect(h)) {
        m.size("anything");
      }
    }).isInstanceOf(TransferException.class).hasMessageContaining("HTTP 401 Unauthorized")
        .satisfies(e -> assertThat(((TransferException) e).kind()).isEqualTo(ErrorKind.AUTHENTICATION));
  }

  @Test
  void connectionsStayUsableAfterRefusedUploads() throws Exception {
    // a PUT refused before 100-continue leaves its reply body unread: that connection must not be reused
    HostSpec bad = host(nginx.port()).setPassword("wrong").build();
    try (TransferModule good = connect(host(nginx.port()).build())) {
      for (int i = 0; i < 5; i++) {
        try (TransferModule m = connect(bad)) {
          assertThat(kindOf(() -> put(m, "reuse/denied.txt", "no"))).isEqualTo(ErrorKind.AUTHENTICATION);
        }
        put(good, "reuse/f" + i + ".txt", "content " + i);
        assertThat(good.size("reuse/f" + i + ".txt")).isEqualTo(9);
        try (InputStream in = good.get("reuse/f" + i + ".txt", 0)) {
          assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("content " + i);
        }
      }
    }
  }

  @Test
  void bearerTokenHeaderOnTheWire() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<String> request = new ArrayList<>();
      Thread t = new Thread(() -> {
        try (Socket s = ss.accept()) {
          var r = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
          for (String line; (line = r.readLine()) != null && !line.isEmpty(); ) request.add(line);
          s.getOutputStream().write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().flush();
        } catch (IOException ignored) {
          // the test checks what arrived
        }
      });
      t.start();
      HostSpec h = HostSpec.newBuilder().setTransferMethod("http").setAddress("127.0.0.1").setPort(ss.getLocalPort())
          .setLogin("u").setPassword("p").putOptions("http.bearerToken", "tok123")
          .putOptions("http.headers", "X-Api-Key: k1|X-Other: v2").build();
      try (TransferModule m = connect(h)) {
        assertThat(m.size("a b/c.bin")).isEqualTo(-1);
      }
      t.join(5000);
      assertThat(request).contains("HEAD /a%20b/c.bin HTTP/1.1", "Authorization: Bearer tok123", "X-Api-Key: k1", "X-Other: v2");
    }
  }

  @Test
  void statusesAreClassified() throws Exception {
    try (TransferModule m = connect(host(nginx.port()).build())) {
      put(m, "cls/f.txt", "hello");
      // nginx refuses POST on a static file: PROTOCOL with the status line
      TransferModule post = connect(host(nginx.port()).putOptions("http.uploadMethod", "POST").build());
      assertThatThrownBy(() -> put(post, "cls/f.txt", "x")).isInstanceOf(TransferException.class)
          .hasMessageContaining("HTTP 405 Method Not Allowed")
          .satisfies(e -> assertThat(((TransferException) e).kind()).isEqualTo(ErrorKind.PROTOCOL));
      post.close();
      assertThat(kindOf(() -> m.get("cls/none.bin", 0))).isEqualTo(ErrorKind.NOT_FOUND);
      assertThat(kindOf(() -> m.delete("cls/none.bin"))).isEqualTo(ErrorKind.NOT_FOUND);
      assertThat(kindOf(() -> m.rename("cls/f.txt", "cls/g.txt"))).isEqualTo(ErrorKind.PROTOCOL);
      m.mkdirs("cls/no/op"); // documented no-op
      // a file nobody (nginx's worker) may not read: 403
      Path locked = Files.writeString(nginx.root().resolve("cls/locked.txt"), "secret");
      Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      assertThat(kindOf(() -> m.get("cls/locked.txt", 0))).isEqualTo(ErrorKind.PERMISSION);
      // nginx answers 500 (not 403) when it cannot write: PROTOCOL, with the server's words
      Files.createDirectories(nginx.root().resolve("cls/ro"));
      assertThat(kindOf(() -> put(m, "cls/ro/x.txt", "x"))).isEqualTo(ErrorKind.PROTOCOL);
      // resume at the very end: nothing left
      try (InputStream in = m.get("cls/f.txt", 5)) {
        assertThat(in.readAllBytes()).isEmpty();
      }
      try (InputStream in = m.get("cls/f.txt", 2)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("llo");
      }
    }
  }

  @Test
  void uploadEndPointWithPlaceholders() throws Exception {
    try (TransferModule m = connect(host(nginx.port()).putOptions("http.uploadEndPoint", "/incoming/{name}").build())) {
      put(m, "ignored/dir/ep.txt", "endpoint");
    }
    assertThat(nginx.root().resolve("incoming/ep.txt")).hasContent("endpoint");
  }

  @Test
  void httpsTrustsTheConfiguredCertificateOnly() throws Exception {
    HostSpec.Builder h = host(nginx.sslPort()).setTransferMethod("https");
    try (TransferModule m = connect(h.clone().putOptions("http.trustCert", nginx.certificatePem()).build())) {
      put(m, "tls/a.txt", "secure");
      assertThat(m.size("tls/a.txt")).isEqualTo(6);
    }
    // default JVM trust does not know the self-signed certificate: the server is not who it claims
    assertThat(kindOf(() -> {
      try (TransferModule m = connect(h.clone().build())) {
        m.size("tls/a.txt");
      }
    })).isEqualTo(ErrorKind.AUTHENTICATION);
    try (TransferModule m = connect(h.clone().putOptions("http.sslValidation", "false").build())) {
      assertThat(m.size("tls/a.txt")).isEqualTo(6);
    }
  }

  @Test
  void silentServerFailsNetworkWithinTheIdleTimeout() throws Exception {
    try (ServerSocket ss = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread t = new Thread(() -> {
        try {
          while (true) held.add(ss.accept()); // accept, never answer
        } catch (IOException ignored) {
          // closed at the end of the test
        }
      });
      t.start();
      HostSpec h = HostSpec.newBuilder().setTransferMethod("http").setAddress("127.0.0.1").setPort(ss.getLocalPort())
          .putOptions("http.idleTimeout", "1s").build();
      try (TransferModule m = connect(h)) {
        long start = System.nanoTime();
        assertThat(kindOf(() -> m.get("x", 0))).isEqualTo(ErrorKind.NETWORK);
        assertThat(kindOf(() -> m.put(new ByteArrayInputStream(new byte[100]), 100, "y", ProgressListener.NONE)))
            .isEqualTo(ErrorKind.NETWORK);
        assertThat(kindOf(() -> m.put(new ByteArrayInputStream(new byte[100]), -1, "y", ProgressListener.NONE)))
            .isEqualTo(ErrorKind.NETWORK);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
      } finally {
        ss.close();
        for (Socket s : held) s.close();
      }
    }
  }

  @Test
  void failingSourceIsLocalAndLeavesNothing() throws Exception {
    InputStream broken = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ > 3_000_000) throw new IOException("disk gone");
        return 1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (n > 3_000_000) throw new IOException("disk gone");
        n += len;
        return len;
      }
    };
    try (TransferModule m = connect(host(nginx.port()).build())) {
      assertThat(kindOf(() -> m.put(broken, 10_000_000, "local/broken.bin", ProgressListener.NONE)))
          .isEqualTo(ErrorKind.LOCAL);
      assertThat(kindOf(() -> m.put(new ByteArrayInputStream(new byte[10]), 20, "local/short.bin", ProgressListener.NONE)))
          .isEqualTo(ErrorKind.LOCAL);
      assertThat(kindOf(() -> m.put(new ByteArrayInputStream(new byte[30]), 20, "local/long.bin", ProgressListener.NONE)))
          .isEqualTo(ErrorKind.LOCAL);
      assertThat(m.size("local/broken.bin")).isEqualTo(-1);
      assertThat(m.size("local/short.bin")).isEqualTo(-1);
      assertThat(m.size("local/long.bin")).isEqualTo(-1);
    }
  }

  @Test
  void closeFromAnotherThreadCancels() throws Exception {
    TransferModule m = connect(host(nginx.port()).build());
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return len;
      }
    };
    // close once the upload is under way (bytes reached the connection), not after a guessed pause
    java.util.concurrent.CountDownLatch sending = new java.util.concurrent.CountDownLatch(1);
    Thread closer = new Thread(() -> {
      try {
        if (!sending.await(30, java.util.concurrent.TimeUnit.SECONDS)) return; // the put then never ends: the test times out loudly
      } catch (InterruptedException ignored) {
        // close now
      }
      m.close();
    });
    closer.start();
    assertThat(kindOf(() -> m.put(endless, -1, "cancel/x.bin", b -> sending.countDown()))).isEqualTo(ErrorKind.CANCELLED);
    closer.join();
    assertThat(nginx.root().resolve("cancel/x.bin")).doesNotExist();
  }
}
