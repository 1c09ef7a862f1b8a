package org.ecpds.portal.https;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain HTTPS against the portal with the real curl and wget. */
class PortalHttpsCurlWgetTest {
  private static final int SIZE = 3 * 1024 * 1024 + 77;
  private final byte[] content = HttpsPortalFixture.random(SIZE, 42);

  @TempDir Path dir;
  HttpsPortalFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new HttpsPortalFixture(dir);
    f.portal.file("/DEST/data/big.bin", content);
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  private String code(HttpsPortalFixture.Result r) {
    String out = r.output().trim();
    return out.substring(Math.max(0, out.length() - 3));
  }

  private List<MemoryPortal.Download> downloadsOf(String path) throws Exception {
    FsPath p = FsPath.parse(path);
    return f.portal.downloads.stream().filter(d -> d.path().equals(p)).toList();
  }

  @Test
  void headAnswersFromMetadataWithoutAccounting() throws Exception {
    var r = f.curl("-I", f.url("/DEST/data/big.bin"));
    assertThat(r.output()).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Length: " + SIZE).containsIgnoringCase("ETag: \"");
    r = f.curl("-I", f.url("/DEST/data/"));
    assertThat(r.output()).startsWith("HTTP/1.1 200").containsIgnoringCase("Content-Type: text/html");
    assertThat(f.portal.downloads).isEmpty();
  }

  @Test
  void curlDownloadsTheWholeFileWhichIsAccountedOnce() throws Exception {
    Path out = dir.resolve("out.bin");
    Path headers = dir.resolve("h.txt");
    var r = f.curl("-D", headers.toString(), "-o", out.toString(), "-w", "%{http_code}", f.url("/DEST/data/big.bin"));
    assertThat(code(r)).isEqualTo("200");
    assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(out))).isEqualTo(HttpsPortalFixture.sha256(content));
    String h = Files.readString(headers).toLowerCase();
    assertThat(h).contains("etag: \"" + f.portal.stored("/DEST/data/big.bin").etag() + "\"").contains("accept-ranges: bytes")
        .containsPattern("last-modified: [a-z]{3}, \\d\\d [a-z]{3} \\d{4} \\d\\d:\\d\\d:\\d\\d gmt");
    assertThat(downloadsOf("/DEST/data/big.bin")).singleElement().satisfies(d -> {
      assertThat(d.user()).isEqualTo(HttpsPortalFixture.USER);
      assertThat(d.protocol()).isEqualTo("https");
    });
  }

  @Test
  void parallelDownloadsAreEachCompleteAndAccounted() throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("--parallel", "--parallel-max", "8"));
    for (int i = 0; i < 8; i++) args.addAll(List.of("-o", dir.resolve("p" + i + ".bin").toString(), f.url("/DEST/data/big.bin")));
    var r = f.curl(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.output()).isZero();
    for (int i = 0; i < 8; i++) {
      assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(dir.resolve("p" + i + ".bin")))).isEqualTo(HttpsPortalFixture.sha256(content));
    }
    assertThat(downloadsOf("/DEST/data/big.bin")).hasSize(8);
  }

  @Test
  void expectContinueIsNotAnsweredForAWrongPassword() throws Exception {
    Path src = dir.resolve("e.bin");
    Files.write(src, content);
    var r = f.run("curl", "-sS", "-v", "--cacert", f.certificate.toString(), "-u", HttpsPortalFixture.USER + ":wrong", "-H", "Expect: 100-continue",
        "-T", src.toString(), "-o", "/dev/null", "-w", "%{http_code}", f.url("/DEST/data/e.bin"));
    assertThat(code(r)).isEqualTo("401");
    assertThat(r.output()).doesNotContain("HTTP/1.1 100");
    assertThat(f.portal.stored("/DEST/data/e.bin")).isNull();
  }

  @Test
  void singleSuffixAndMultipleRangesAreServedExactlyAndNotAccounted() throws Exception {
    Path out = dir.resolve("r.bin");
    Path headers = dir.resolve("h.txt");
    var r = f.curl("-D", headers.toString(), "-r", "100-1123", "-o", out.toString(), "-w", "%{http_code}", f.url("/DEST/data/big.bin"));
    assertThat(code(r)).isEqualTo("206");
    assertThat(Files.readAllBytes(out)).isEqualTo(java.util.Arrays.copyOfRange(content, 100, 1124));
    assertThat(Files.readString(headers)).containsIgnoringCase("Content-Range: bytes 100-1123/" + SIZE);

    r = f.curl("-r", "-500", "-o", out.toString(), "-w", "%{http_code}", f.url("/DEST/data/big.bin"));
    assertThat(code(r)).isEqualTo("206");
    assertThat(Files.readAllBytes(out)).isEqualTo(java.util.Arrays.copyOfRange(content, SIZE - 500, SIZE));

    r = f.curl("-D", headers.toString(), "-r", "0-9,20-29", "-o", out.toString(), "-w", "%{http_code}", f.url("/DEST/data/big.bin"));
    assertThat(code(r)).isEqualTo("206");
    String type = Files.readString(headers).lines().filter(l -> l.toLowerCase().startsWith("content-type:")).findFirst().orElseThrow();
    assertThat(type).contains("multipart/byteranges; boundary=");
    String boundary = type.substring(type.indexOf("boundary=") + 9).trim();
    byte[] body = Files.readAllBytes(out);
    String text = new String(body, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("--" + boundary + "\r\n").contains("Content-Range: bytes 0-9/" + SIZE)
        .contains("Content-Range: bytes 20-29/" + SIZE).endsWith("--" + boundary + "--\r\n");
    String part1 = new String(java.util.Arrays.copyOfRange(content, 0, 10), StandardCharsets.ISO_8859_1);
    String part2 = new String(java.util.Arrays.copyOfRange(content, 20, 30), StandardCharsets.ISO_8859_1);
    assertThat(text).contains("\r\n\r\n" + part1 + "\r\n--").contains("\r\n\r\n" + part2 + "\r\n--");

    r = f.curl("-D", headers.toString(), "-r", SIZE + "-", "-o", out.toString(), "-w", "%{http_code}", f.url("/DEST/data/big.bin"));
    assertThat(code(r)).isEqualTo("416");
    assertThat(Files.readString(headers)).containsIgnoringCase("Content-Range: bytes */" + SIZE);
    assertThat(downloadsOf("/DEST/data/big.bin")).isEmpty();
  }

  @Test
  void conditionalRequestsAnswer304And412AndIfRangeFallsBackToTheWholeFile() throws Exception {
    String etag = "\"" + f.portal.stored("/DEST/data/big.bin").etag() + "\"";
    String url = f.url("/DEST/data/big.bin");
    Path out = dir.resolve("c.bin");
    assertThat(code(f.curl("-H", "If-None-Match: " + etag, "-o", out.toString(), "-w", "%{http_code}", url))).isEqualTo("304");
    assertThat(code(f.curl("-H", "If-None-Match: \"other\"", "-o", out.toString(), "-w", "%{http_code}", url))).isEqualTo("200");
    // curl -z sends If-Modified-Since
    assertThat(code(f.curl("-z", "Tue, 01 Jan 2999 00:00:00 GMT", "-o", out.toString(), "-w", "%{http_code}", url))).isEqualTo("304");
    assertThat(code(f.curl("-z", "Sat, 01 Jan 2000 00:00:00 GMT", "-o", out.toString(), "-w", "%{http_code}", url))).isEqualTo("200");
    assertThat(code(f.curl("-H", "If-Match: \"other\"", "-o", out.toString(), "-w", "%{http_code}", url))).isEqualTo("412");
    assertThat(code(f.curl("-H", "If-Unmodified-Since: Sat, 01 Jan 2000 00:00:00 GMT", "-o", out.toString(), "-w", "%{http_code}", url)))
        .isEqualTo("412");
    assertThat(code(f.curl("-H", "If-Range: \"other\"", "-r", "0-9", "-o", out.toString(), "-w", "%{http_code}", url))).isEqualTo("200");
    assertThat(Files.size(out)).isEqualTo(SIZE);
    assertThat(code(f.curl("-H", "If-Range: " + etag, "-r", "0-9", "-o", out.toString(), "-w", "%{http_code}", url))).isEqualTo("206");
    assertThat(Files.size(out)).isEqualTo(10);
  }

  @Test
  void wgetDownloadsAndResumesWithRange() throws Exception {
    var r = f.run("wget", "-q", "--ca-certificate=" + f.certificate, "--user=" + HttpsPortalFixture.USER, "--password=" + f.password,
        "-O", dir.resolve("w.bin").toString(), f.url("/DEST/data/big.bin"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(dir.resolve("w.bin")))).isEqualTo(HttpsPortalFixture.sha256(content));
    assertThat(downloadsOf("/DEST/data/big.bin")).hasSize(1);

    Path partial = dir.resolve("resume").resolve("big.bin");
    Files.createDirectories(partial.getParent());
    Files.write(partial, java.util.Arrays.copyOf(content, 1_000_000));
    r = f.run(Map.of(), null, "wget", "-c", "-S", "--ca-certificate=" + f.certificate, "--user=" + HttpsPortalFixture.USER,
        "--password=" + f.password, "-P", partial.getParent().toString(), f.url("/DEST/data/big.bin"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("206");
    assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(partial))).isEqualTo(HttpsPortalFixture.sha256(content));
    assertThat(downloadsOf("/DEST/data/big.bin")).as("the resumed tail alone is not a complete download").hasSize(1);
  }

  @Test
  void putUploadsReadBackAndDelete() throws Exception {
    byte[] up = HttpsPortalFixture.random(2 * 1024 * 1024 + 3, 7);
    Path src = dir.resolve("up.bin");
    Files.write(src, up);
    String url = f.url("/DEST/data/up.bin");
    var r = f.curl("-v", "-H", "Expect: 100-continue", "-T", src.toString(), "-w", "%{http_code}", url);
    assertThat(code(r)).isEqualTo("201");
    assertThat(r.output()).contains("HTTP/1.1 100");
    assertThat(f.portal.stored("/DEST/data/up.bin").content()).isEqualTo(up);
    assertThat(code(f.curl("-T", src.toString(), "-o", "/dev/null", "-w", "%{http_code}", url))).isEqualTo("204");
    Path back = dir.resolve("back.bin");
    assertThat(code(f.curl("-o", back.toString(), "-w", "%{http_code}", url))).isEqualTo("200");
    assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(back))).isEqualTo(HttpsPortalFixture.sha256(up));
    assertThat(code(f.curl("-X", "DELETE", "-o", "/dev/null", "-w", "%{http_code}", url))).isEqualTo("204");
    assertThat(code(f.curl("-o", "/dev/null", "-w", "%{http_code}", url))).isEqualTo("404");
    assertThat(f.portal.stored("/DEST/data/up.bin")).isNull();
    // no parent, read-only destination, root
    assertThat(code(f.curl("-T", src.toString(), "-o", "/dev/null", "-w", "%{http_code}", f.url("/DEST/nope/x.bin")))).isEqualTo("409");
    assertThat(code(f.curl("-T", src.toString(), "-o", "/dev/null", "-w", "%{http_code}", f.url("/RO/x.bin")))).isEqualTo("403");
    assertThat(f.portal.denied).anyMatch(d -> d.contains("PUT /RO/x.bin"));
  }

  @Test
  void clientsThatHangUpHalfWayLeaveNoDownloadAndNoFile() throws Exception {
    // larger than what loopback socket buffers absorb, so that the hang-up really is half way for the server
    byte[] huge = HttpsPortalFixture.random(48 << 20, 11);
    f.portal.file("/DEST/data/huge.bin", huge);
    var r = f.curl("--limit-rate", "200k", "--max-time", "1", "-o", dir.resolve("cut.bin").toString(), f.url("/DEST/data/huge.bin"));
    assertThat(r.output()).contains("Operation timed out");
    Path src = dir.resolve("big-up.bin");
    Files.write(src, huge);
    r = f.curl("--limit-rate", "200k", "--max-time", "1", "-T", src.toString(), f.url("/DEST/data/cut-up.bin"));
    assertThat(r.output()).contains("Operation timed out");
    // the body never completed, so nothing was published
    assertThat(f.portal.stored("/DEST/data/cut-up.bin")).isNull();
    assertThat(downloadsOf("/DEST/data/huge.bin")).isEmpty();
  }

  @Test
  void wrongOrMissingCredentialsGet401() throws Exception {
    Path headers = dir.resolve("h.txt");
    var r = f.run("curl", "-sS", "--cacert", f.certificate.toString(), "-u", HttpsPortalFixture.USER + ":wrong", "-D", headers.toString(),
        "-o", "/dev/null", "-w", "%{http_code}", f.url("/DEST/data/big.bin"));
    assertThat(code(r)).isEqualTo("401");
    assertThat(Files.readString(headers)).containsIgnoringCase("WWW-Authenticate: Basic realm=\"ECPDS Data Portal mover-test\"");
    r = f.run("curl", "-sS", "--cacert", f.certificate.toString(), "-o", "/dev/null", "-w", "%{http_code}", f.url("/DEST/data/big.bin"));
    assertThat(code(r)).isEqualTo("401");
    assertThat(f.portal.downloads).isEmpty();
  }

  @Test
  void listingsComeInPagesThatLinkToTheNext() throws Exception {
    for (String n : List.of("a.txt", "b.txt", "c.txt")) f.portal.file("/DEST/paged/" + n, n.getBytes(StandardCharsets.UTF_8));
    try (PortalHttpsServer s = new PortalHttpsServer(f.portal, "127.0.0.1", 0, TlsMaterial.generate(List.of("localhost")), "m")
        .listingPageSize(2)) {
      s.start();
      String base = "https://127.0.0.1:" + s.port() + "/DEST/paged/";
      List<String> curl = List.of("curl", "-sS", "-k", "-u", HttpsPortalFixture.USER + ":" + f.password);
      var first = f.run(concat(curl, "-H", "Accept: application/json", base));
      assertThat(first.output()).contains("\"a.txt\"", "\"b.txt\"").doesNotContain("c.txt").contains("\"next\":\"?after=b.txt\"");
      var last = f.run(concat(curl, "-H", "Accept: application/json", base + "?after=b.txt"));
      assertThat(last.output()).contains("\"c.txt\"").doesNotContain("a.txt").doesNotContain("\"next\"");
      var one = f.run(concat(curl, "-H", "Accept: application/json", base + "?limit=1"));
      assertThat(one.output()).contains("\"a.txt\"").doesNotContain("b.txt").contains("\"next\":\"?limit=1&after=a.txt\"");
      // the HTML index links to its next page; a browser or wget -r follows it
      var html = f.run(concat(curl, base));
      assertThat(html.output()).contains("a.txt", "b.txt").doesNotContain("c.txt").contains("rel=\"next\" href=\"?after=b.txt\"");
      for (String bad : List.of("?limit=0", "?limit=3", "?limit=x")) {
        assertThat(code(f.run(concat(curl, "-o", "/dev/null", "-w", "%{http_code}", base + bad)))).as(bad).isEqualTo("400");
      }
    }
  }

  private static String[] concat(List<String> a, String... b) {
    List<String> all = new java.util.ArrayList<>(a);
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  @Test
  void loginThatMustWaitGets429WithRetryAfter() throws Exception {
    PortalLogin throttled = new PortalLogin() {
      @Override
      public PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException {
        throw new LoginException("wait", Duration.ofSeconds(42));
      }

      @Override
      public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote) throws LoginException {
        throw new LoginException("wait", Duration.ofSeconds(42));
      }
    };
    try (PortalHttpsServer s = new PortalHttpsServer(throttled, "127.0.0.1", 0, TlsMaterial.generate(List.of("localhost")), "m")) {
      s.start();
      Path headers = dir.resolve("h429.txt");
      var r = f.run("curl", "-sS", "-k", "-u", "bob:secret", "-D", headers.toString(), "-o", "/dev/null", "-w", "%{http_code}",
          "https://127.0.0.1:" + s.port() + "/");
      assertThat(code(r)).isEqualTo("429");
      assertThat(Files.readString(headers)).containsIgnoringCase("Retry-After: 42");
    }
  }

  @Test
  void unavailableAndQuotaRefusalsReachTheClient() throws Exception {
    // a portal whose content is momentarily unreachable for one file and whose quota is spent for another
    PortalLogin flaky = new PortalLogin() {
      @Override
      public PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException {
        PortalFs real = f.portal.password(user, password, protocol, remote);
        return (PortalFs) java.lang.reflect.Proxy.newProxyInstance(PortalFs.class.getClassLoader(), new Class<?>[] {PortalFs.class},
            (proxy, method, args) -> {
              if (args != null && args.length > 0 && args[0] instanceof FsPath p) {
                if (p.name().equals("away.bin")) throw new org.ecpds.portal.fs.FsException(org.ecpds.portal.fs.FsException.Kind.UNAVAILABLE, p, "mover away");
                if (p.name().equals("full.bin") && method.getName().equals("write")) {
                  throw new org.ecpds.portal.fs.FsException(org.ecpds.portal.fs.FsException.Kind.QUOTA_EXCEEDED, p, "quota spent");
                }
              }
              try {
                return method.invoke(real, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
      }

      @Override
      public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote) throws LoginException {
        throw new LoginException("no keys", null);
      }
    };
    try (PortalHttpsServer s = new PortalHttpsServer(flaky, "127.0.0.1", 0, TlsMaterial.generate(List.of("localhost")), "m")) {
      s.start();
      Path headers = dir.resolve("h503.txt");
      String base = "https://127.0.0.1:" + s.port();
      var r = f.run("curl", "-sS", "-k", "-u", HttpsPortalFixture.USER + ":" + f.password, "-H", "Accept: application/json",
          "-D", headers.toString(), "-w", "%{http_code}", base + "/DEST/data/away.bin");
      assertThat(code(r)).isEqualTo("503");
      assertThat(r.output()).startsWith("{\"status\":503,\"error\":\"mover away\"}");
      assertThat(Files.readString(headers)).containsIgnoringCase("Retry-After: ");
      Path src = dir.resolve("q.bin");
      Files.write(src, new byte[] {1});
      r = f.run("curl", "-sS", "-k", "-u", HttpsPortalFixture.USER + ":" + f.password, "-T", src.toString(), "-w", "%{http_code}",
          base + "/DEST/data/full.bin");
      assertThat(code(r)).isEqualTo("507");
      assertThat(f.portal.stored("/DEST/data/full.bin")).isNull();
    }
  }

  @Test
  void pathEscapesAreRefused() throws Exception {
    for (String path : List.of("/DEST/../../etc/passwd", "/DEST/%2e%2e/%2e%2e/etc/passwd", "/DEST/data%2Fbig.bin", "/DEST/data%2fbig.bin",
        "/%2e%2e/DEST/data/big.bin", "/DEST/data/..%2Fbig.bin", "/DEST/data/%5C..%5Cbig.bin")) {
      var r = f.curl("--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", f.url(path));
      assertThat(code(r)).as(path).isIn("400", "404");
    }
    assertThat(f.portal.downloads).isEmpty();
  }

  @Test
  void directoryListingIsJsonForScriptsAndEscapedHtmlForBrowsers() throws Exception {
    f.portal.file("/DEST/data/<b>&\"x\".txt", new byte[] {1, 2, 3});
    var json = f.curl("-H", "Accept: application/json", f.url("/DEST/data/"));
    assertThat(json.output()).startsWith("{\"path\":\"/DEST/data\"")
        .contains("{\"name\":\"big.bin\",\"type\":\"file\",\"size\":" + SIZE)
        .contains("\"name\":\"<b>&\\\"x\\\".txt\"");
    var root = f.curl("-H", "Accept: application/json", f.url("/"));
    assertThat(root.output()).contains("\"name\":\"DEST\",\"type\":\"directory\"").contains("\"name\":\"RO\"");
    var html = f.curl(f.url("/DEST/data"));
    assertThat(html.output()).contains("&lt;b&gt;&amp;&quot;x&quot;.txt").doesNotContain("<b>&")
        .contains("href=\"/DEST/data/%3Cb%3E%26%22x%22.txt\"").contains("href=\"/DEST/data/big.bin\"");
  }
}
