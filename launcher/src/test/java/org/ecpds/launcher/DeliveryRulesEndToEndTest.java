package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.ManualClock;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenECPDS's delivery rules end to end: files pushed with the real CLI, a standalone whose master
 * reads a manual clock (time moves only when the test says so), and a real OpenSSH sshd as the
 * remote host. Failover to the backup and back after Reset Frequency; nothing sent outside the
 * active time range; Retry Count holding the destination until an operator releases it.
 */
class DeliveryRulesEndToEndTest {
  @TempDir static Path tmp;
  private static OpenSshServer sshd;
  private static ManualClock clock;
  private static Standalone sa;
  private static Rest admin;
  private static Path cert;
  private static String password;

  @BeforeAll
  static void start() throws Exception {
    sshd = OpenSshServer.start();
    clock = new ManualClock(Instant.now());
    sa = Standalone.start(TestConfig.empty().with("standalone.dataDir", tmp.resolve("data")).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1).with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1).with("monitor.port", 0)
        .with("master.bcryptCost", 4), System.out, clock);
    cert = tmp.resolve("data/tls/cert.pem");
    password = sa.master().generatedAdminPassword();
    admin = new Rest(sa.master().restPort(), cert, "admin", password);
  }

  @AfterAll
  static void stop() throws Exception {
    if (sa != null) sa.close();
    if (sshd != null) sshd.close();
  }

  private static Map<String, Object> host(String name, String dir, boolean reachable) {
    Map<String, Object> h = new HashMap<>(Map.of("name", name, "transferMethod", "sftp", "address", "127.0.0.1",
        "port", reachable ? sshd.port() : FreePorts.next(), "login", sshd.user(), "password", sshd.password(),
        "directory", dir, "options", Map.of("ectrans.connectTimeout", "3s")));
    return h;
  }

  /** Pushes a small file with the CLI (its own JVM); returns the transfer id. */
  private static long push(String destination, String name) throws Exception {
    Path f = tmp.resolve(name);
    StandaloneEndToEndTest.writeRandom(f, 20_000, name.hashCode());
    JavaProcess.Result r = JavaProcess.run("org.ecpds.cli.Ecpds", List.of("-echost", "localhost", "-ecport",
        String.valueOf(sa.master().restPort()), "-cacert", cert.toString(), "-user", "admin", "-pass", password,
        "-destination", destination, "-source", f.toString()), tmp);
    assertThat(r.exit()).as(r.err()).isZero();
    return admin.transferOf(Long.parseLong(r.out().strip()));
  }

  private static void advance(Duration d) {
    clock.advance(d);
    sa.master().scheduler().tick();
  }

  private static String state(String destination) throws Exception {
    return admin.call("GET", "destination/" + destination, null).at("/destination/state").asText();
  }

  /** Waits for a condition, with a deadline. */
  private static void await(String what, Duration limit, org.ecpds.testkit.Conditions.Check condition) throws Exception {
    org.ecpds.testkit.Conditions.await(what, limit, condition);
  }

  @Test
  void failsOverToTheBackupAndReturnsToThePrimaryAfterResetFrequency() throws Exception {
    admin.call("POST", "destination", Map.of("name", "F", "onHostFailure", "next and stay",
        "resetFrequency", Duration.ofMinutes(10).toMillis(), "retryFrequency", 1000));
    admin.call("POST", "host", host("f-primary", "primary/$destination", false));
    admin.call("POST", "host", host("f-backup", "backup/$destination", true));
    admin.call("PUT", "destination/F/host/f-primary", Map.of("priority", 0));
    admin.call("PUT", "destination/F/host/f-backup", Map.of("priority", 1));

    long first = push("F", "f1.bin");
    JsonNode done = admin.awaitTransfer(first, "DONE", Duration.ofSeconds(60));
    assertThat(done.get("history")).extracting(h -> h.get("status").asText())
        .containsSubsequence("EXEC", "RETR", "WAIT", "EXEC", "DONE");
    assertThat(sshd.home().resolve("backup/F/f1.bin")).exists();

    // the primary is repaired, but Next and stay keeps the destination on the backup...
    admin.call("PUT", "host/f-primary", Map.of("port", sshd.port()));
    long second = push("F", "f2.bin");
    admin.awaitTransfer(second, "DONE", Duration.ofSeconds(60));
    assertThat(sshd.home().resolve("backup/F/f2.bin")).exists();
    assertThat(sshd.home().resolve("primary/F/f2.bin")).doesNotExist();

    // ...until it has been there for Reset Frequency
    advance(Duration.ofMinutes(11));
    long third = push("F", "f3.bin");
    admin.awaitTransfer(third, "DONE", Duration.ofSeconds(60));
    assertThat(sshd.home().resolve("primary/F/f3.bin")).exists();
  }

  @Test
  void sendsNothingOutsideTheActiveTimeRangeUntilTheWindowOpens() throws Exception {
    DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    Instant opens = clock.instant().plus(Duration.ofHours(2));
    String window = hhmm.format(opens) + "-" + hhmm.format(opens.plus(Duration.ofHours(1)));
    admin.call("POST", "destination", Map.of("name", "W",
        "properties", "scheduler.activeTimeRange = \"" + window + "\""));
    admin.call("POST", "host", host("w-host", "window/$destination", true));
    admin.call("PUT", "destination/W/host/w-host", Map.of("priority", 0));

    long t = push("W", "w1.bin");
    assertThat(state("W")).isEqualTo("SCHE");
    assertThat(admin.call("GET", "transfer/" + t, null).at("/transfer/status").asText()).isEqualTo("WAIT");
    advance(Duration.ofMinutes(119));
    assertThat(admin.call("GET", "transfer/" + t, null).at("/transfer/status").asText())
        .as("a minute before the window").isEqualTo("WAIT");
    assertThat(sshd.home().resolve("window/W/w1.bin")).doesNotExist();
    advance(Duration.ofMinutes(1));
    admin.awaitTransfer(t, "DONE", Duration.ofSeconds(60));
    Path delivered = sshd.home().resolve("window/W/w1.bin");
    await(delivered.toString(), Duration.ofSeconds(60), () -> Files.exists(delivered));
  }

  @Test
  void consecutiveFailuresHoldTheDestinationAndAReleaseResumesIt() throws Exception {
    admin.call("POST", "destination", Map.of("name", "H", "retryCount", 2, "maxRequeue", 5, "retryFrequency", 60_000));
    admin.call("POST", "host", host("h-host", "held/$destination", false));
    admin.call("PUT", "destination/H/host/h-host", Map.of("priority", 0));

    long a = push("H", "h1.bin");
    admin.awaitTransfer(a, "RETR", Duration.ofSeconds(60));
    long b = push("H", "h2.bin");
    admin.awaitTransfer(b, "RETR", Duration.ofSeconds(60));
    await("destination H held", Duration.ofSeconds(30), () -> state("H").equals("HOLD"));
    assertThat(admin.call("GET", "destination/H", null).at("/destination/stateName").asText())
        .isEqualTo("Failed-scheduler");

    // the host is repaired and the retries are due, but a held destination sends nothing
    admin.call("PUT", "host/h-host", Map.of("port", sshd.port()));
    advance(Duration.ofMinutes(2));
    admin.awaitTransfer(a, "WAIT", Duration.ofSeconds(30));
    assertThat(sshd.home().resolve("held/H/h1.bin")).doesNotExist();

    admin.call("POST", "destination/H/release", null);
    admin.awaitTransfer(a, "DONE", Duration.ofSeconds(60));
    admin.awaitTransfer(b, "DONE", Duration.ofSeconds(60));
    assertThat(sshd.home().resolve("held/H/h2.bin")).exists();
    assertThat(state("H")).isIn("WAIT", "EXEC");
  }
}
