package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retrieval source that goes down mid-fetch (issue 9): the real sshd serving a large file is
 * killed, with its session, once the mover has stored part of it, and started again on the same
 * port. The attempt fails as a NETWORK error, the file goes back to Preset, the retry (after the
 * configured retrieval.retryDelay) fetches it from byte 0, and the stored copy is complete and
 * byte-identical. The RET lines show the failed attempt and the success.
 */
class RetrievalSourceDownTest {
  /** Large enough that the fetch is still running when the test sees its first bytes stored. */
  private static final long SIZE = 512L * 1024 * 1024;
  @TempDir Path tmp;

  @Test
  void aSourceDownMidFetchIsRetriedToACompleteFile() throws Exception {
    try (OpenSshServer source = OpenSshServer.start(); EventLines events = new EventLines()) {
      Path big = source.home().resolve("big.bin");
      StandaloneEndToEndTest.writeRandom(big, SIZE, 9);
      String sha = StandaloneEndToEndTest.sha256(big);
      Path dataDir = tmp.resolve("ecpds-data");
      Config config = TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
          .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1)
          .with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
          .with("monitor.port", 0).with("master.bcryptCost", 4).with("scheduler.acquisition.enabled", false)
          // the first retry comes 1 s after the failure (default 30 s), well after the restart below
          .with("retrieval.retryDelay", "1s").with("retrieval.maxRetryDelay", "2s").with("retrieval.maxAttempts", 5);
      try (Standalone sa = Standalone.start(config, System.out)) {
        Rest admin = new Rest(sa.master().restPort(), dataDir.resolve("tls/cert.pem"), "admin",
            sa.master().generatedAdminPassword());
        admin.call("POST", "destination", Map.of("name", "IN"));
        admin.call("POST", "host", Map.of("name", "SRC", "type", "source", "transferMethod", "sftp",
            "address", "127.0.0.1", "port", source.port(), "login", source.user(), "password", source.password()));
        admin.awaitMoverOnline(sa.mover().mover().name());

        long id = admin.call("POST", "datafile/put", Map.of("destination", "IN", "source", "SRC:big.bin",
            "target", "big.bin")).get("dataFileId").asLong();
        Path moverDir = dataDir.resolve("mover");
        Conditions.await("the first bytes of the fetch stored", Duration.ofSeconds(30),
            () -> tempBytes(moverDir) >= 8L * 1024 * 1024);
        source.stop();
        String failed = events.await(l -> l.startsWith("RET;") && l.contains("Status=false"), Duration.ofSeconds(30));
        assertThat(tempBytes(moverDir)).as("a broken fetch leaves no temp file").isZero();
        source.restart();

        JsonNode df = Conditions.awaitValue("the file fetched again", Duration.ofSeconds(60), () -> {
          JsonNode d = admin.call("GET", "datafile/" + id, null).get("datafile");
          return d.get("arrived").asBoolean() ? java.util.Optional.of(d) : java.util.Optional.empty();
        });
        assertThat(df.get("size").asLong()).isEqualTo(SIZE);
        assertThat(df.get("sha256").asText()).isEqualTo(sha);

        List<String> ret = events.lines().stream().filter(l -> l.startsWith("RET;")).toList();
        assertThat(ret.get(0)).isEqualTo(failed).contains("Attempt=1").contains("ErrorKind=NETWORK");
        String ok = ret.get(ret.size() - 1);
        assertThat(ok).contains("Status=true").contains("Attempt=" + ret.size()).contains("FileSize=" + SIZE);
        assertThat(ret.subList(0, ret.size() - 1)).allMatch(l -> l.contains("Status=false"));

        List<String> statuses = new ArrayList<>();
        for (JsonNode h : admin.call("GET", "transfer/" + df.at("/transfers/0/id").asLong(), null)
            .at("/transfer/history")) {
          statuses.add(h.get("status").asText());
        }
        assertThat(String.join(",", statuses)).as("the transfer's history").startsWith("INIT,SCHE,FETC,SCHE,FETC");
        System.out.println("RetrievalSourceDownTest RET lines:\n" + String.join("\n", ret));
      }
    }
  }

  /** Bytes in the mover's temp files (a fetch in progress), 0 when there is none. */
  private static long tempBytes(Path moverDir) throws Exception {
    if (!Files.isDirectory(moverDir)) return 0;
    try (Stream<Path> all = Files.walk(moverDir)) {
      return all.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals(".tmp"))
          .filter(Files::isRegularFile).mapToLong(p -> {
            try {
              return Files.size(p);
            } catch (java.io.IOException e) {
              return 0; // renamed or deleted while walking
            }
          }).sum();
    } catch (java.io.UncheckedIOException e) {
      return tempBytes(moverDir); // a file went away while walking: look again
    }
  }
}
