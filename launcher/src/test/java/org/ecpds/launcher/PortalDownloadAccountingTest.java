package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.cli.Ecpds;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7's "every complete download of a StandBy file marks it Done", with the clients people use:
 * 10 files fetched with lftp, 10 with OpenSSH sftp and 10 with rclone from the standalone's SFTP portal,
 * one client process after another. Each client closes its channel and session its own way (lftp and
 * rclone hang up while the portal is still closing the file); every one of the 30 transfers must end
 * DONE with its "downloaded by" history row.
 */
class PortalDownloadAccountingTest {
  private static final String USER = "puller";
  private static final String PASSWORD = "puller-secret-1";
  private static final int PER_CLIENT = 10;

  @TempDir Path tmp;

  @Test
  void thirtyStandByDownloadsWithThreeClientsAllEndDone() throws Exception {
    Tools.require("lftp", "lftp");
    Tools.require("rclone", "rclone");
    Tools.require("sftp", "openssh-client");
    Tools.require("sshpass", "sshpass");
    Path dataDir = tmp.resolve("data");
    Config config = TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", 0).with("portal.https.port", 0).with("portal.s3.port", 0).with("portal.ftps.port", 0).with("portal.ftps.implicitPort", 0).with("portal.ftp.passivePorts", "0").with("monitor.port", 0)
        .with("master.bcryptCost", 4);
    try (Standalone sa = Standalone.start(config, System.out)) {
      int restPort = sa.master().restPort();
      Path cert = dataDir.resolve("tls/cert.pem");
      String adminPassword = sa.master().generatedAdminPassword();
      Rest admin = new Rest(restPort, cert, "admin", adminPassword);
      // no dissemination host: every pushed file stays StandBy (HOLD) for the portal
      admin.call("POST", "destination", Map.of("name", "PULL"));
      admin.call("POST", "incoming/user", Map.of("id", USER, "password", PASSWORD));
      admin.call("PUT", "incoming/user/" + USER + "/destination/PULL", Map.of("get", true, "dir", true));

      Map<String, Long> transferOf = new LinkedHashMap<>();
      Map<String, String> shaOf = new LinkedHashMap<>();
      for (int i = 0; i < 3 * PER_CLIENT; i++) {
        String name = "f" + i + ".bin";
        Path f = tmp.resolve(name);
        // sizes from 1 byte to a few MiB: several SFTP read requests in flight for the larger ones
        StandaloneEndToEndTest.writeRandom(f, i == 0 ? 1 : 7_000L * i * i, i);
        shaOf.put(name, StandaloneEndToEndTest.sha256(f));
        long transfer = admin.transferOf(push(restPort, cert, adminPassword, f));
        assertThat(admin.call("GET", "transfer/" + transfer, null).at("/transfer/status").asText()).isEqualTo("HOLD");
        transferOf.put(name, transfer);
      }

      int port = sa.mover().sftpPort();
      List<String> names = new ArrayList<>(transferOf.keySet());
      Path got = Files.createDirectories(tmp.resolve("got"));
      String obscured = Processes.run(tmp, List.of("rclone", "obscure", PASSWORD)).strip();
      Path rcloneConfig = Files.writeString(tmp.resolve("rclone.conf"), "");
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        Path local = got.resolve(name);
        switch (i / PER_CLIENT) {
          case 0 -> lftpGet(port, name, local);
          case 1 -> StandaloneEndToEndTest.portalGet(port, USER, PASSWORD, "PULL/" + name, local);
          default -> rcloneGet(port, obscured, rcloneConfig, name, local);
        }
        assertThat(StandaloneEndToEndTest.sha256(local)).as(name).isEqualTo(shaOf.get(name));
      }

      Map<String, String> notDone = awaitAllDone(admin, transferOf, Duration.ofSeconds(60));
      assertThat(notDone).as("transfers not DONE after their download").isEmpty();
      for (var e : transferOf.entrySet()) {
        JsonNode history = admin.call("GET", "transfer/" + e.getValue(), null).at("/transfer/history");
        String client = List.of("lftp", "sftp", "rclone").get(names.indexOf(e.getKey()) / PER_CLIENT);
        assertThat(history).as(e.getKey() + " fetched with " + client).anySatisfy(h -> {
          assertThat(h.get("status").asText()).isEqualTo("DONE");
          assertThat(h.get("comment").asText()).isEqualTo("downloaded by " + USER + " over sftp");
        });
      }
    }
  }

  /** The real CLI, in this JVM: pushes one file to PULL, returns its DataFile id. */
  private static long push(int restPort, Path cert, String adminPassword, Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Ecpds.run(new String[] {"-echost", "localhost", "-ecport", String.valueOf(restPort), "-cacert",
        cert.toString(), "-user", "admin", "-pass", adminPassword, "-destination", "PULL", "-source", file.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return Long.parseLong(out.toString(StandardCharsets.UTF_8).strip());
  }

  private void lftpGet(int port, String name, Path local) {
    // lftp's sftp runs ssh itself and answers its password prompt; a fresh host key must not stop it
    String script = "set sftp:auto-confirm yes; "
        + "set sftp:connect-program 'ssh -a -x -F /dev/null -o StrictHostKeyChecking=no"
        + " -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no'; "
        + "set net:max-retries 1; get PULL/" + name + " -o " + local + "; bye";
    Processes.run(tmp, List.of("lftp", "-u", USER + "," + PASSWORD, "-p", String.valueOf(port), "-e", script,
        "sftp://127.0.0.1"));
  }

  private void rcloneGet(int port, String obscured, Path config, String name, Path local) {
    String remote = ":sftp,host=127.0.0.1,port=" + port + ",user=" + USER + ",pass=" + obscured + ":PULL/" + name;
    Processes.run(tmp, List.of("rclone", "--config", config.toString(), "--sftp-disable-hashcheck",
        "--sftp-shell-type", "none", "--retries", "1", "--low-level-retries", "1", "copyto", remote,
        local.toString()));
  }

  /** Polls until every transfer is DONE or the deadline passes; returns those that are not, with their status. */
  private static Map<String, String> awaitAllDone(Rest admin, Map<String, Long> transfers, Duration timeout)
      throws Exception {
    Map<String, String> notDone = new LinkedHashMap<>();
    try {
      org.ecpds.testkit.Conditions.await("every transfer DONE", timeout, () -> {
        notDone.clear();
        for (var e : transfers.entrySet()) {
          String status = admin.call("GET", "transfer/" + e.getValue(), null).at("/transfer/status").asText();
          if (!status.equals("DONE")) notDone.put(e.getKey(), status);
        }
        return notDone.isEmpty();
      });
    } catch (AssertionError timedOut) {
      // the caller asserts on what is still not DONE
    }
    return notDone;
  }
}
