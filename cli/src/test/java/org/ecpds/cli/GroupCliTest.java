package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.common.config.Config;
import org.ecpds.master.MasterNode;
import org.ecpds.master.service.HostService;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * -groupby / -index / -noretrieval registrations and -waitfor's exit codes against a real master with
 * no mover online (files stay Preset). Fetching for real is the launcher's end-to-end test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupCliTest {
  private MasterNode node;
  private Path dir;
  private Path cacert;
  private String adminPass;

  @BeforeAll
  void startMaster() throws Exception {
    dir = Files.createTempDirectory("ecpds-cli-group");
    TestDatabase db = TestDatabases.h2();
    Config cfg = Config.empty().with("master.dataDir", dir.resolve("master")).with("master.db.url", db.jdbcUrl())
        .with("master.db.user", db.user()).with("master.db.password", db.password()).with("master.rest.port", 0)
        .with("master.rest.host", "127.0.0.1").with("master.grpc.port", -1)
        .with("master.inProcessName", "cli-group-" + System.nanoTime()).with("master.bcryptCost", 4);
    node = new MasterNode(cfg).start();
    adminPass = node.generatedAdminPassword();
    node.destinations().create("FOO", null);
    node.hosts().create("src", new HostService.Spec("source", "sftp", "127.0.0.1", 22, "u", "p", "", Map.of(), true));
    cacert = Files.writeString(dir.resolve("master.pem"), node.tls().certificatePem());
  }

  @AfterAll
  void stopMaster() {
    if (node != null) node.close();
    Processes.deleteTree(dir);
  }

  private CliRun run(String... extra) {
    List<String> args = new ArrayList<>(List.of("-echost", "localhost", "-ecport", "" + node.restPort(),
        "-cacert", cacert.toString(), "-user", "admin", "-pass", adminPass));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private String status(long dataFileId) {
    return node.transfers().ofDataFile(dataFileId).get(0).status();
  }

  @Test
  void groupbyRegistersWithoutUploadingAndPrintsTheId() {
    CliRun r = run("-destination", "FOO", "-groupby", "G1", "-source", "src:/data/a.grib", "-metadata", "k=v");
    assertThat(r.code()).as(r.err()).isZero();
    long id = Long.parseLong(r.out().strip());
    assertThat(status(id)).isEqualTo("SCHE");
    assertThat(node.dataFiles().get(id).target()).isEqualTo("a.grib");
    assertThat(node.dataFiles().get(id).source()).isEqualTo("/data/a.grib");
  }

  @Test
  void indexRegistersOneFilePerLine() throws Exception {
    Path index = Files.writeString(dir.resolve("index.txt"), "src:/i/one\n\n# a comment\nsrc:/i/two\n  src:/i/three  \n");
    CliRun r = run("-destination", "FOO", "-groupby", "G2", "-index", index.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> ids = r.out().lines().toList();
    assertThat(ids).hasSize(3);
    assertThat(ids.stream().map(Long::parseLong).map(id -> node.dataFiles().get(id).target()))
        .containsExactly("one", "two", "three");
  }

  @Test
  void noretrievalKeepsTheFileUnfetched() {
    CliRun r = run("-destination", "FOO", "-groupby", "G3", "-noretrieval", "-source", "src:/n/x");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(status(Long.parseLong(r.out().strip()))).isEqualTo("SCHE");
  }

  @Test
  void waitforTimesOutWith5ThenFails1ThenSucceeds0() {
    CliRun reg = run("-destination", "FOO", "-groupby", "W", "-source", "src:/w/1");
    long id = Long.parseLong(reg.out().strip());
    CliRun waiting = run("-waitfor", "W", "-timeout", "1s", "-interval", "100ms");
    assertThat(waiting.code()).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(waiting.errLine()).startsWith("ecpds: group W not fetched within 1 s (0 of 1 fetched)");

    // the fetch outcomes a mover would bring (covered for real by the launcher's end-to-end test)
    setFetchStatus(id, "FAIL");
    CliRun failed = run("-waitfor", "W", "-timeout", "5s", "-interval", "100ms");
    assertThat(failed.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(failed.errLine()).contains("could not be fetched");
    setFetchStatus(id, "DONE");
    CliRun done = run("-waitfor", "W", "-timeout", "5s", "-interval", "100ms");
    assertThat(done.code()).as(done.err()).isZero();
    assertThat(done.out()).isEmpty();
  }

  @Test
  void statusOfAGroupAsTextAndJson() throws Exception {
    CliRun reg = run("-destination", "FOO", "-groupby", "S", "-source", "src:/s/1");
    assertThat(reg.code()).as(reg.err()).isZero();
    CliRun text = run("-status", "-groupby", "S");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).startsWith("group S files=1 complete=false failed=false").contains("fetch ");
    CliRun json = run("-status", "-groupby", "S", "-json");
    assertThat(json.code()).as(json.err()).isZero();
    var node = JsonReply.JSON.readTree(json.out());
    assertThat(node.get("files").asInt()).isEqualTo(1);
    assertThat(node.has("status")).as("the envelope is left out").isFalse();
  }

  private void setFetchStatus(long id, String s) {
    node.database().jdbi().useHandle(h -> h.createUpdate("UPDATE data_file SET fetch_status = :s WHERE id = :id")
        .bind("s", s).bind("id", id).execute());
  }

  @Test
  void usageErrorsExit2BeforeAnythingIsSent() {
    assertThat(run("-destination", "FOO", "-noretrieval", "-source", "src:/x").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(run("-destination", "FOO", "-index", "/nonexistent").errLine()).contains("-index needs -groupby");
    assertThat(run("-destination", "FOO", "-groupby", "G", "-index", "/nonexistent").errLine())
        .startsWith("ecpds: cannot read -index /nonexistent");
    assertThat(run("-destination", "FOO", "-groupby", "G").errLine()).contains("-groupby needs -source");
    assertThat(run("-waitfor", "W", "-timeout", "soon").errLine()).contains("invalid -timeout");
    CliRun unknownHost = run("-destination", "FOO", "-groupby", "G", "-source", "nohost:/x");
    assertThat(unknownHost.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(unknownHost.errLine()).contains("source");
  }
}
