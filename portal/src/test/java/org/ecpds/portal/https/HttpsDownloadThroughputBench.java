package org.ecpds.portal.https;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.ecpds.testkit.NginxServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite (the name does not end in Test): one large download with curl from the portal
 * and from nginx over HTTPS on loopback, alternately, printing MB/s. Run it with
 * {@code -Dtest=HttpsDownloadThroughputBench}; {@code -Dbench.mib=N} sets the size (default 512).
 */
class HttpsDownloadThroughputBench {
  @TempDir Path dir;

  @Test
  void portalAgainstNginx() throws Exception {
    int mib = Integer.getInteger("bench.mib", 512);
    byte[] content = HttpsPortalFixture.random(mib << 20, 1);
    String sha = HttpsPortalFixture.sha256(content);
    try (HttpsPortalFixture f = new HttpsPortalFixture(dir); NginxServer nginx = NginxServer.start()) {
      f.portal.file("/DEST/big.bin", content);
      Files.write(nginx.root().resolve("big.bin"), content);
      Path nginxCert = dir.resolve("nginx.pem");
      Files.writeString(nginxCert, nginx.certificatePem());
      for (int round = 0; round < 3; round++) {
        double portal = time(f, f.certificate, HttpsPortalFixture.USER + ":" + f.password, f.url("/DEST/big.bin"), sha, mib);
        double ref = time(f, nginxCert, nginx.user() + ":" + nginx.password(), "https://127.0.0.1:" + nginx.sslPort() + "/big.bin", sha, mib);
        System.out.printf("round %d: portal %.0f MB/s, nginx %.0f MB/s, ratio %.2f%n", round, portal, ref, portal / ref);
      }
    }
  }

  private double time(HttpsPortalFixture f, Path cert, String auth, String url, String sha, int mib) throws Exception {
    Path out = dir.resolve("out.bin");
    long start = System.nanoTime();
    var r = f.run("curl", "-sS", "--cacert", cert.toString(), "-u", auth, "-o", out.toString(), url);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(out))).isEqualTo(sha);
    return mib * 1.048576 / seconds;
  }
}
