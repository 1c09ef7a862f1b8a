package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * litmus (every suite) against the real portal of the standalone: WebDAV over the portal file system
 * backed by the master (uploads registered as data files, deletes through the lifecycle, directories
 * kept by the master), not the in-memory one the adapter's own test uses.
 */
class PortalLitmusEndToEndTest {
  private static final Pattern SUMMARY =
      Pattern.compile("<- summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed");
  @TempDir Path tmp;

  @Test
  void litmusPassesEverySuiteAgainstTheStandalone() throws Exception {
    Tools.require("litmus", "litmus");
    Path dataDir = tmp.resolve("ecpds-data");
    Config config = TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", 0)
        .with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
        .with("monitor.port", 0).with("master.bcryptCost", 4);
    try (Standalone sa = Standalone.start(config, System.out)) {
      Rest admin = new Rest(sa.master().restPort(), dataDir.resolve("tls/cert.pem"), "admin",
          sa.master().generatedAdminPassword());
      admin.call("POST", "destination", Map.of("name", "DAV"));
      admin.call("POST", "incoming/user", Map.of("id", "dav-user", "password", "dav-secret-1"));
      admin.call("PUT", "incoming/user/dav-user/destination/DAV", Map.of("get", true, "put", true, "delete", true,
          "dir", true, "mkdir", true, "rmdir", true, "rename", true));
      int port = sa.mover().portalPorts().get("https");
      ProcessBuilder pb = new ProcessBuilder(List.of("litmus", "-k", "https://127.0.0.1:" + port + "/DAV/", "dav-user",
          "dav-secret-1")).directory(tmp.toFile()).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().put("TESTS", "basic copymove props locks http");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      System.out.println(out);
      Matcher m = SUMMARY.matcher(out);
      Map<String, int[]> suites = new LinkedHashMap<>();
      while (m.find()) {
        suites.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))});
      }
      assertThat(suites).as(out).containsOnlyKeys("basic", "copymove", "props", "locks", "http");
      suites.forEach((suite, c) -> assertThat(c[2]).as(suite + " failures\n" + out).isZero());
      assertThat(suites.get("basic")[0]).isEqualTo(16);
      assertThat(suites.get("copymove")[0]).isEqualTo(13);
      assertThat(suites.get("props")[0]).isEqualTo(30);
      assertThat(suites.get("locks")[0]).isEqualTo(41);
      assertThat(suites.get("http")[0]).isEqualTo(3);
      assertThat(p.exitValue()).as(out).isZero();
    }
  }
}
