package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Async push end to end (issue 9): 50 files on a real sshd source registered with the real CLI
 * ({@code -groupby G -index FILE}, in its own JVM), fetched in parallel by the standalone's mover,
 * {@code -waitfor G} exiting 0, every copy byte-identical, then disseminated to a second sshd.
 */
class RetrievalEndToEndTest {
  private static final int FILES = 50;
  @TempDir Path tmp;

  private Config config(Path dataDir) {
    return TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", 0).with("portal.https.port", 0).with("portal.s3.port", 0)
        .with("portal.ftps.port", 0).with("portal.ftps.implicitPort", 0).with("portal.ftp.passivePorts", "0")
        .with("monitor.port", 0).with("master.bcryptCost", 4);
  }

  @Test
  void aGroupOf50IsFetchedInParallelThenDisseminated() throws Exception {
    try (OpenSshServer source = OpenSshServer.start();
        OpenSshServer target = OpenSshServer.start("ecpdsr" + ProcessHandle.current().pid());
        EventLines events = new EventLines()) {
      Map<String, String> shas = new HashMap<>();
      Path srcDir = Files.createDirectories(source.home().resolve("src"));
      StringBuilder index = new StringBuilder();
      for (int i = 0; i < FILES; i++) {
        String name = String.format("f%02d.bin", i);
        StandaloneEndToEndTest.writeRandom(srcDir.resolve(name), 256 * 1024 + i, i);
        shas.put(name, StandaloneEndToEndTest.sha256(srcDir.resolve(name)));
        index.append("SRC:src/").append(name).append('\n');
      }
      Path indexFile = Files.writeString(tmp.resolve("index.txt"), index);
      Path dataDir = tmp.resolve("ecpds-data");
      try (Standalone sa = Standalone.start(config(dataDir), System.out)) {
        int restPort = sa.master().restPort();
        Path cert = dataDir.resolve("tls/cert.pem");
        String password = sa.master().generatedAdminPassword();
        Rest admin = new Rest(restPort, cert, "admin", password);
        admin.call("POST", "destination", Map.of("name", "OUT", "maxConnections", 4));
        admin.call("POST", "host", Map.of("name", "SRC", "type", "source", "transferMethod", "sftp",
            "address", "127.0.0.1", "port", source.port(), "login", source.user(), "password", source.password()));
        admin.call("POST", "host", Map.of("name", "DST", "transferMethod", "sftp", "address", "127.0.0.1",
            "port", target.port(), "login", target.user(), "password", target.password(), "directory", "incoming"));
        admin.call("PUT", "destination/OUT/host/DST", Map.of("priority", 0));
        admin.awaitMoverOnline(sa.mover().mover().name());

        List<String> common = List.of("-echost", "localhost", "-ecport", String.valueOf(restPort), "-cacert",
            cert.toString(), "-user", "admin", "-pass", password);
        JavaProcess.Result reg = cli(StandaloneEndToEndTest.concat(common, "-destination", "OUT", "-groupby", "G",
            "-index", indexFile.toString(), "-priority", "30"));
        assertThat(reg.exit()).as(reg.err()).isZero();
        List<Long> ids = reg.out().lines().map(Long::parseLong).toList();
        assertThat(ids).hasSize(FILES).doesNotHaveDuplicates();

        JavaProcess.Result wait = cli(StandaloneEndToEndTest.concat(common, "-waitfor", "G", "-timeout", "180s",
            "-interval", "200ms"));
        assertThat(wait.exit()).as(wait.err()).isZero();
        JsonNode group = admin.call("GET", "datafile/group/G", null);
        assertThat(group.get("complete").asBoolean()).isTrue();
        assertThat(group.at("/fetch/DONE").asLong()).isEqualTo(FILES);

        List<long[]> fetching = new ArrayList<>();
        for (long id : ids) {
          JsonNode df = admin.call("GET", "datafile/" + id, null).get("datafile");
          String name = df.get("target").asText();
          assertThat(df.get("arrived").asBoolean()).isTrue();
          assertThat(df.get("sha256").asText()).as(name).isEqualTo(shas.get(name));
          long transferId = df.at("/transfers/0/id").asLong();
          JsonNode done = admin.awaitTransfer(transferId, "DONE", Duration.ofSeconds(180));
          List<String> statuses = new ArrayList<>();
          long fetchStart = -1;
          for (JsonNode h : done.get("history")) {
            statuses.add(h.get("status").asText());
            if (h.get("status").asText().equals("FETC")) fetchStart = h.get("time").asLong();
          }
          assertThat(statuses).containsExactly("INIT", "SCHE", "FETC", "WAIT", "EXEC", "DONE");
          fetching.add(new long[] {fetchStart, df.get("arrivedTime").asLong()});
          assertThat(StandaloneEndToEndTest.sha256(target.home().resolve("incoming").resolve(name))).as(name)
              .isEqualTo(shas.get(name));
        }
        assertThat(maxOverlap(fetching)).as("fetches running at the same time").isGreaterThan(1);
        assertThat(events.lines().stream().filter(l -> l.startsWith("RET;") && l.contains("Status=true")).count())
            .isEqualTo(FILES);
      }
    }
  }

  /** The most fetch intervals [start, end] that share one instant. */
  private static int maxOverlap(List<long[]> intervals) {
    int best = 0;
    for (long[] a : intervals) {
      int n = 0;
      for (long[] b : intervals) if (b[0] <= a[0] && a[0] < b[1]) n++;
      best = Math.max(best, n);
    }
    return best;
  }

  private JavaProcess.Result cli(List<String> args) throws Exception {
    return JavaProcess.run("org.ecpds.cli.Ecpds", args, tmp);
  }
}
