package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The README tour, end to end on real components: the standalone (H2), a private OpenSSH sshd as
 * the dissemination target, the ecpds CLI in its own JVM, OpenSSH sftp against the portal, and
 * headless Chromium against the monitor.
 */
class StandaloneEndToEndTest {
  @TempDir Path tmp;

  private Config config(Path dataDir) {
    return TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", 0).with("portal.https.port", 0).with("portal.s3.port", 0).with("portal.ftps.port", 0).with("portal.ftps.implicitPort", 0).with("portal.ftp.passivePorts", "0").with("monitor.port", 0)
        .with("master.bcryptCost", 4);
  }

  @Test
  void pushDisseminatePullAndWatch() throws Exception {
    Path dataDir = tmp.resolve("ecpds-data");
    Path source = tmp.resolve("forecast.bin");
    writeRandom(source, 100L * 1024 * 1024, 42);
    String sha = sha256(source);
    try (OpenSshServer sshd = OpenSshServer.start()) {
      long dataFileId;
      long transferId;
      try (Standalone sa = Standalone.start(config(dataDir), System.out)) {
        int restPort = sa.master().restPort();
        Path cert = dataDir.resolve("tls/cert.pem");
        Rest admin = new Rest(restPort, cert, "admin", sa.master().generatedAdminPassword());
        admin.call("POST", "destination", Map.of("name", "REMOTE", "maxConnections", 2, "retryFrequency", 2000));
        admin.call("POST", "host", Map.of("name", "sshd1", "transferMethod", "sftp", "address", "127.0.0.1",
            "port", sshd.port(), "login", sshd.user(), "password", sshd.password(), "directory", "incoming/$destination"));
        admin.call("PUT", "destination/REMOTE/host/sshd1", Map.of("priority", 0));
        admin.call("POST", "incoming/user", Map.of("id", "alice", "password", "alice-secret-1"));
        admin.call("PUT", "incoming/user/alice/destination/REMOTE", Map.of("get", true, "put", true));

        List<String> common = List.of("-echost", "localhost", "-ecport", String.valueOf(restPort), "-cacert", cert.toString());
        // bad input: one line on stderr, non-zero exit, nothing stored, and the refusal audited
        JavaProcess.Result wrong;
        try (EventLines events = new EventLines()) {
          wrong = cli(concat(common, "-user", "alice", "-pass", "nope-nope", "-destination", "REMOTE",
              "-source", source.toString()));
          assertThat(events.denied()).singleElement().asString().matches(
              "DEA;UserId=alice;Message=Invalid user name or password;Context=rest,master,(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)");
        }
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.out()).isEmpty();
        assertThat(wrong.err().strip().lines()).hasSize(1);
        JavaProcess.Result missing = cli(concat(common, "-user", "alice", "-pass", "alice-secret-1", "-destination",
            "REMOTE", "-source", tmp.resolve("absent.bin").toString()));
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("absent.bin");

        JavaProcess.Result push = cli(concat(common, "-user", "alice", "-pass", "alice-secret-1", "-destination", "REMOTE",
            "-source", source.toString(), "-priority", "20", "-metadata", "stream=oper,step=12"));
        assertThat(push.exit()).as(push.err()).isZero();
        dataFileId = Long.parseLong(push.out().strip());
        JsonNode df = admin.call("GET", "datafile/" + dataFileId, null).get("datafile");
        assertThat(df.get("arrived").asBoolean()).isTrue();
        assertThat(df.get("sha256").asText()).isEqualTo(sha);
        transferId = admin.transferOf(dataFileId);

        JsonNode done = admin.awaitTransfer(transferId, "DONE", Duration.ofSeconds(120));
        Path delivered = sshd.home().resolve("incoming/REMOTE/forecast.bin");
        assertThat(sha256(delivered)).isEqualTo(sha);
        assertThat(done.get("history")).extracting(h -> h.get("status").asText()).containsExactly("WAIT", "EXEC", "DONE");
        try (var listing = Files.list(delivered.getParent())) {
          assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("forecast.bin");
        }

        Path pulled = tmp.resolve("pulled.bin");
        portalGet(sa.mover().sftpPort(), "alice", "alice-secret-1", "REMOTE/forecast.bin", pulled);
        assertThat(sha256(pulled)).isEqualTo(sha);

        monitorShowsDone(sa.monitor().port(), sa.master().generatedAdminPassword(), transferId);
      }
      // a restart keeps everything (H2 file database, store, TLS material, admin password)
      try (Standalone again = Standalone.start(config(dataDir), System.out)) {
        assertThat(again.master().generatedAdminPassword()).isNull();
        String password = Files.readString(dataDir.resolve("master/admin-password")).strip();
        Rest admin = new Rest(again.master().restPort(), dataDir.resolve("tls/cert.pem"), "admin", password);
        assertThat(admin.call("GET", "transfer/" + transferId, null).at("/transfer/status").asText()).isEqualTo("DONE");
        assertThat(again.mover().mover().dataStore().locate(dataFileId)).isPresent();
      }
    }
  }

  private JavaProcess.Result cli(List<String> args) throws Exception {
    return JavaProcess.run("org.ecpds.cli.Ecpds", args, tmp);
  }

  static List<String> concat(List<String> a, String... b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  static void portalGet(int port, String user, String password, String remote, Path local) throws Exception {
    Tools.require("sftp", "openssh-client");
    Tools.require("sshpass", "sshpass");
    Path batch = Files.createTempFile("sftp", ".batch");
    Files.writeString(batch, "get " + remote + " " + local + "\n");
    Processes.run(null, List.of("sshpass", "-p", password, "sftp", "-o", "BatchMode=no", "-b", batch.toString(),
        "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "PubkeyAuthentication=no", "-P", String.valueOf(port), user + "@127.0.0.1"));
    Files.deleteIfExists(batch);
  }

  private void monitorShowsDone(int port, String adminPassword, long transferId) throws IOException {
    Tools.require("/usr/bin/chromium", "chromium chromium-driver");
    Tools.require("/usr/bin/chromedriver", "chromium chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,900", "--ignore-certificate-errors", "--user-data-dir=" + Files.createTempDirectory(tmp, "chrome"));
    WebDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
    try {
      driver.get("https://localhost:" + port + "/destination/REMOTE");
      driver.findElement(By.id("user")).sendKeys("admin");
      driver.findElement(By.id("password")).sendKeys(adminPassword);
      driver.findElement(By.id("login-submit")).click();
      // the login answers with a redirect to the page: wait for it to load (a find at once raced the navigation)
      // (the page refreshes itself, so the row is read within the wait, not kept across it)
      String status = new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(20))
          .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(d -> d.findElement(By.cssSelector("tr.transfer[data-id='" + transferId + "'] td.status")).getText());
      assertThat(status).contains("DONE");
      byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
      Files.write(Path.of("target", "tour-monitor-destination.png"), png);
    } finally {
      driver.quit();
    }
  }

  static void writeRandom(Path file, long size, long seed) throws IOException {
    Random r = new Random(seed);
    byte[] buf = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= buf.length) {
        r.nextBytes(buf);
        out.write(buf, 0, (int) Math.min(buf.length, left));
      }
    }
  }

  static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
