package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.common.config.Config;
import org.ecpds.master.MasterNode;
import org.ecpds.master.rest.VersionResource;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CLI against a real master (H2, no mover online): every way a push can be refused before the
 * upload. The successful push needs a real mover and is covered end-to-end in the launcher module.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MasterErrorsTest {
  private static final String ALICE_PASS = "alice-password-1";
  private MasterNode node;
  private Path dir;
  private Path cacert;
  private Path data;

  @BeforeAll
  void startMaster() throws Exception {
    dir = Files.createTempDirectory("ecpds-cli-test");
    TestDatabase db = TestDatabases.h2();
    Config cfg = Config.empty().with("master.dataDir", dir.resolve("master")).with("master.db.url", db.jdbcUrl())
        .with("master.db.user", db.user()).with("master.db.password", db.password()).with("master.rest.port", 0)
        .with("master.rest.host", "127.0.0.1").with("master.grpc.port", -1)
        .with("master.inProcessName", "cli-test-" + System.nanoTime()).with("master.bcryptCost", 4);
    node = new MasterNode(cfg).start();
    node.destinations().create("FOO", null);
    node.destinations().create("BAR", null);
    node.users().createIncoming("alice", ALICE_PASS, null);
    node.users().grant("alice", "FOO", false, true, false, false);
    node.users().grant("alice", "BAR", true, false, false, false);
    cacert = Files.writeString(dir.resolve("master.pem"), node.tls().certificatePem());
    data = Files.writeString(dir.resolve("file.grib"), "GRIB data");
  }

  @AfterAll
  void stopMaster() {
    if (node != null) node.close();
    Processes.deleteTree(dir);
  }

  /** A push as alice to the test master, trusting its certificate, plus extra arguments. */
  private CliRun push(String... extra) {
    List<String> args = new ArrayList<>(List.of("-echost", "localhost", "-ecport", "" + node.restPort(),
        "-cacert", cacert.toString(), "-user", "alice", "-pass", ALICE_PASS, "-source", data.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void wrongPassword() {
    assertRefused(push("-destination", "FOO", "-pass", "wrong-password"), "authentication failed for user alice");
  }

  @Test
  void unknownDestinationGivesTheMastersMessage() {
    assertRefused(push("-destination", "NOPE"), "NOPE");
  }

  @Test
  void noPutPermission() {
    assertRefused(push("-destination", "BAR"), "user alice may not put into destination BAR");
  }

  @Test
  void noMoverOnline() {
    assertRefused(push("-destination", "FOO", "-priority", "3", "-metadata", "k=v"),
        "no data mover is online to receive the file");
  }

  @Test
  void stdinWithCredentialsAndTrustFromTheEnvironment() {
    Map<String, String> env = Map.of("ECPDS_USER", "alice", "ECPDS_PASS", ALICE_PASS, "ECPDS_CACERT", cacert.toString());
    CliRun r = CliRun.withStdin(new ByteArrayInputStream("streamed".getBytes()), env, "-ecport", "" + node.restPort(),
        "-destination", "FOO", "-target", "from-stdin.bin");
    assertRefused(r, "no data mover is online");
  }

  @Test
  void unreachableMaster() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CliRun r = CliRun.of("-echost", "localhost", "-ecport", "" + closed, "-cacert", cacert.toString(), "-user", "alice",
        "-pass", ALICE_PASS, "-destination", "FOO", "-source", data.toString());
    assertFailure(r, ExitCodes.CONNECT, "cannot reach master at localhost:" + closed + ": connection refused");
    CliRun debug = CliRun.of("-ecport", "" + closed, "-user", "alice", "-pass", "x", "-destination", "FOO",
        "-source", data.toString(), "-debug");
    assertThat(debug.code()).isEqualTo(ExitCodes.CONNECT);
    assertThat(debug.err()).contains("java.net.ConnectException").contains("\tat ");
  }

  @Test
  void aMasterThatCannotBeReachedIsTriedTryCountTimes() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    CliRun r = CliRun.of("-ecport", "" + closed, "-cacert", cacert.toString(), "-user", "alice", "-pass", ALICE_PASS,
        "-destination", "FOO", "-source", data.toString(), "-tryCount", "3", "-tryDelaySec", "0", "-verbose");
    assertThat(r.code()).isEqualTo(ExitCodes.CONNECT);
    assertThat(r.err()).contains("attempt 2/3").contains("attempt 3/3").doesNotContain("attempt 4/3");
    // a master that answered (here: no mover online) is not asked again
    CliRun answered = push("-destination", "FOO", "-tryCount", "3", "-tryDelaySec", "0", "-verbose");
    assertThat(answered.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(answered.err()).doesNotContain("attempt 2/3");
  }

  @Test
  void untrustedMasterCertificate() {
    CliRun r = CliRun.of("-ecport", "" + node.restPort(), "-user", "alice", "-pass", ALICE_PASS, "-destination", "FOO",
        "-source", data.toString());
    assertFailure(r, ExitCodes.CONNECT, "untrusted TLS certificate from master at localhost:" + node.restPort());
    assertThat(r.err()).contains("-cacert FILE");
  }

  @Test
  void versionPrintsClientAndMasterVersions() {
    CliRun r = CliRun.of("-version", "-ecport", "" + node.restPort(), "-cacert", cacert.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("ecpds client ")
        .contains("ecpds master " + VersionResource.VERSION + " at localhost:" + node.restPort());
    assertThat(r.err()).isEmpty();
  }

  private static void assertRefused(CliRun r, String message) {
    assertFailure(r, ExitCodes.REFUSED, message);
  }

  private static void assertFailure(CliRun r, int code, String message) {
    assertThat(r.code()).as(r.err()).isEqualTo(code);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLine()).startsWith("ecpds: ").contains(message).doesNotContain("\n");
  }
}
