package org.ecpds.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.master.domain.PortalLimits;
import org.ecpds.master.service.PortalQuotas;
import org.ecpds.portal.fs.RealMasterFixture;
import org.ecpds.portal.https.PortalHttpsServer;
import org.ecpds.portal.sftp.PortalSftpServer;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's quotas, set on the real master, refused through real clients on a real mover's portal:
 * curl over HTTPS (507 for an upload, 403 for a download) and OpenSSH sftp, each refusal leaving nothing
 * registered past the quota and writing a DEA line that names the protocol; per-user maxConnections
 * replacing the mover's default; the HTTPS request caps (headers, WebDAV XML bodies) as HTTP statuses.
 */
class PortalLimitsRealClientsTest {
  private static final String PW = "alice-quota-pw-1";
  @TempDir Path tmp;

  record Result(int exit, String output) {}

  private Result run(Path work, List<String> command) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
  }

  @Test
  void quotasAreRefusedOverHttpsAndSftpWithADeaLine() throws Exception {
    Tools.require("curl", "curl");
    Tools.require("sftp", "openssh-client");
    Tools.require("sshpass", "sshpass");
    byte[] data = new byte[1200];
    new Random(5).nextBytes(data);
    Path work = Files.createDirectories(tmp.resolve("work"));
    try (RealMasterFixture f = new RealMasterFixture(tmp.resolve("cluster")); EventLines events = new EventLines()) {
      f.user("alice", PW).grant("alice", "d");
      f.file("/d/seed.bin", data).file("/d/small.bin", Arrays.copyOf(data, 300));
      PortalQuotas quotas = f.master().quotas();
      long alice = f.master().users().incoming("alice").id();
      quotas.save(alice, PortalQuotas.apply(PortalLimits.NONE,
          new PortalQuotas.Patch(null, 1000L, "1d", 1600L, "1d")));
      TlsMaterial tls = TlsMaterial.generate(List.of("localhost"));
      try (PortalHttpsServer https = new PortalHttpsServer(f.login(), "127.0.0.1", 0, tls, "m1");
          PortalSftpServer sftp = new PortalSftpServer(f.login(), "127.0.0.1", 0, tmp.resolve("keys"), "m1")) {
        https.start();
        sftp.start();
        String base = "https://127.0.0.1:" + https.port();
        List<String> curl = List.of("curl", "-sk", "-u", "alice:" + PW, "-o", "/dev/null", "-w", "%{http_code}");

        Path six = Files.write(work.resolve("six.bin"), Arrays.copyOf(data, 600));
        assertThat(run(work, concat(curl, "-T", six.toString(), base + "/d/a.bin")).output()).isEqualTo("201");
        // 400 bytes left: a 600-byte PUT is stopped before its 401st byte is stored
        assertThat(run(work, concat(curl, "-T", six.toString(), base + "/d/b.bin")).output()).isEqualTo("507");
        assertThat(f.content("/d/b.bin")).isNull();
        String dea = events.await(l -> l.startsWith("DEA;") && l.contains("quota") && l.contains("https"),
            Duration.ofSeconds(10));
        assertThat(dea).contains("alice", "/d/b.bin");

        Path five = Files.write(work.resolve("five.bin"), Arrays.copyOf(data, 500));
        Path four = Files.write(work.resolve("four.bin"), Arrays.copyOf(data, 400));
        Result put = run(work, sftpBatch(work, sftp.port(), "put " + five + " /d/c.bin"));
        assertThat(put.exit()).as(put.output()).isNotZero();
        assertThat(f.content("/d/c.bin")).isNull();
        events.await(l -> l.startsWith("DEA;") && l.contains("quota") && l.contains("sftp") && l.contains("/d/c.bin"),
            Duration.ofSeconds(10));
        Result fits = run(work, sftpBatch(work, sftp.port(), "put " + four + " /d/c.bin"));
        assertThat(fits.exit()).as(fits.output()).isZero();
        assertThat(f.content("/d/c.bin")).hasSize(400);
        // used up: refused when the upload starts, before any byte
        Result more = run(work, sftpBatch(work, sftp.port(), "put " + four + " /d/e.bin"));
        assertThat(more.exit()).as(more.output()).isNotZero();
        assertThat(f.content("/d/e.bin")).isNull();
        assertThat(quotas.usage(alice).uploaded()).isEqualTo(1000);

        // a range counts what it delivered: 100 of 1,600 bytes
        assertThat(run(work, concat(curl, "-r", "100-199", base + "/d/seed.bin")).output()).isEqualTo("206");
        Conditions.await("the partial download reported to the master", Duration.ofSeconds(20),
            () -> quotas.usage(alice).downloaded() == 100);
        // downloads: 1,300 of 1,600 bytes, then the same file again is past the quota
        assertThat(run(work, concat(curl, base + "/d/seed.bin")).output()).isEqualTo("200");
        Conditions.await("the download reported to the master", Duration.ofSeconds(20),
            () -> quotas.usage(alice).downloaded() == 1300);
        assertThat(run(work, concat(curl, base + "/d/seed.bin")).output()).isEqualTo("403");
        Result get = run(work, sftpBatch(work, sftp.port(), "get /d/seed.bin seed.copy"));
        assertThat(get.exit()).as(get.output()).isNotZero();
        assertThat(work.resolve("seed.copy")).doesNotExist();
        events.await(l -> l.startsWith("DEA;") && l.contains("download quota") && l.contains("sftp"),
            Duration.ofSeconds(10));
        assertThat(run(work, concat(curl, base + "/d/c.bin")).output()).as("400 bytes do not fit").isEqualTo("403");
        assertThat(run(work, concat(curl, base + "/d/small.bin")).output()).as("300 bytes still fit").isEqualTo("200");
      }
    }
  }

  @Test
  void maxConnectionsOfTheUserReplacesTheMoversDefault() throws Exception {
    try (RealMasterFixture f = new RealMasterFixture(tmp.resolve("cluster"))) {
      f.user("alice", PW).grant("alice", "d");
      long alice = f.master().users().incoming("alice").id();
      f.master().quotas().save(alice, PortalQuotas.apply(PortalLimits.NONE,
          new PortalQuotas.Patch(2, null, null, null, null)));
      var remote = new java.net.InetSocketAddress("127.0.0.1", 40000);
      try (var a = f.login().password("alice", PW, "ftp", remote); var b = f.login().password("alice", PW, "sftp", remote);
          EventLines events = new EventLines()) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> f.login().password("alice", PW, "https", remote))
            .isInstanceOf(org.ecpds.portal.fs.LoginException.class).hasMessageContaining("(2)");
        assertThat(events.denied()).anyMatch(l -> l.contains("Too many sessions") && l.contains("https"));
      }
      f.login().password("alice", PW, "https", remote).close(); // a slot freed
    }
  }

  @Test
  void httpsRequestCapsAreHttpStatusesWithADeaLine() throws Exception {
    Tools.require("curl", "curl");
    Path work = Files.createDirectories(tmp.resolve("work"));
    try (RealMasterFixture f = new RealMasterFixture(tmp.resolve("cluster")); EventLines events = new EventLines()) {
      f.user("alice", PW).grant("alice", "d");
      f.file("/d/x.txt", "x".getBytes(StandardCharsets.UTF_8));
      try (PortalHttpsServer https = new PortalHttpsServer(f.login(), "127.0.0.1", 0,
          TlsMaterial.generate(List.of("localhost")), "m1").maxHeaderBytes(16 * 1024)) {
        https.start();
        String url = "https://127.0.0.1:" + https.port() + "/d/";
        List<String> curl = List.of("curl", "-sk", "-u", "alice:" + PW, "-o", "/dev/null", "-w", "%{http_code}");
        // portal.https.maxHeaderBytes raised to 16 KiB: a 10 KiB header (over Jetty's 8 KiB default) passes
        assertThat(run(work, concat(curl, "-H", "X-Padding: " + "p".repeat(10_000), url)).output()).isEqualTo("200");
        Result header = run(work, concat(curl, "-H", "X-Padding: " + "p".repeat(20_000), url));
        assertThat(header.output()).isEqualTo("431");
        // refused by Jetty before any portal code runs, yet written down like every portal refusal
        events.await(l -> l.startsWith("DEA;") && l.contains("(431)") && l.contains("https,m1,127.0.0.1"),
            Duration.ofSeconds(10));
        // a PROPFIND body over the 1 MiB cap
        Path xml = Files.writeString(work.resolve("big.xml"), "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\">"
            + "<D:prop>" + "<D:getetag/>".repeat(120_000) + "</D:prop></D:propfind>");
        Result propfind = run(work, concat(curl, "-X", "PROPFIND", "-H", "Depth: 1", "-H",
            "Content-Type: application/xml", "--data-binary", "@" + xml, url));
        assertThat(propfind.output()).isEqualTo("413");
        events.await(l -> l.startsWith("DEA;") && l.contains("larger than 1048576 bytes") && l.contains("webdav")
            && l.contains("alice"), Duration.ofSeconds(10));
        Result small = run(work, concat(curl, "-X", "PROPFIND", "-H", "Depth: 1", url));
        assertThat(small.output()).as("the same request within the caps").isEqualTo("207");
      }
    }
  }

  private static List<String> sftpBatch(Path work, int port, String command) throws Exception {
    Path batch = Files.writeString(Files.createTempFile(work, "batch", ".txt"), command + "\n");
    return List.of("sshpass", "-p", PW, "sftp", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR",
        "-o", "BatchMode=no", "-P", String.valueOf(port), "-b", batch.toString(), "alice@127.0.0.1");
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }
}
