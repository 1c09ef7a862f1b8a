package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master and mover as separate OS processes (master on MariaDB); the mover is killed with SIGKILL in
 * the middle of a large SFTP transfer. The transfer must go INTR, be requeued, and end DONE after
 * the mover restarts, and the target must never hold a partial file under its final name. With If
 * Target Exists = Resume, the second attempt continues from the partial copy on the same host.
 */
class MoverCrashTest {
  @TempDir Path tmp;

  @Test
  void killedMoverInterruptsRequeuesAndCompletes() throws Exception {
    JsonNode done = killMoverMidTransfer(800L * 1024 * 1024, 50L * 1024 * 1024, "OVERWRITE");
    assertThat(done.get("resumedFrom").asLong()).isZero();
    assertThat(done.get("sent").asLong()).isEqualTo(800L * 1024 * 1024);
  }

  @Test
  void killedAtHalfwayResumesFromTheOffsetOnTheSameHost() throws Exception {
    long size = 2L * 1024 * 1024 * 1024;
    JsonNode done = killMoverMidTransfer(size, size / 2, "RESUME");
    long resumedFrom = done.get("resumedFrom").asLong();
    assertThat(resumedFrom).as("continued from the partial copy").isGreaterThanOrEqualTo(size / 2).isLessThan(size);
    assertThat(done.get("sent").asLong()).as("only the rest was sent").isEqualTo(size - resumedFrom);
    assertThat(done.get("history")).extracting(h -> h.get("comment").asText())
        .anyMatch(c -> c.contains("resumed from byte " + resumedFrom));
  }

  /** Pushes a file, kills the mover once killAt bytes are at the target, restarts it; returns the DONE transfer. */
  private JsonNode killMoverMidTransfer(long size, long killAt, String ifTargetExists) throws Exception {
    TestDatabase db = TestDatabases.mariadb();
    Path source = tmp.resolve("big.bin");
    StandaloneEndToEndTest.writeRandom(source, size, 7);
    String sha = StandaloneEndToEndTest.sha256(source);
    int restPort = FreePorts.next();
    int grpcPort = FreePorts.next();
    Path masterDir = tmp.resolve("master");
    Path masterCfg = tmp.resolve("master.properties");
    Files.writeString(masterCfg, String.join("\n", "master.dataDir=" + masterDir, "master.rest.host=127.0.0.1",
        "master.rest.port=" + restPort, "master.grpc.port=" + grpcPort, "master.bcryptCost=4",
        "master.moverGraceMillis=1000", "master.db.url=" + db.jdbcUrl(), "master.db.user=" + db.user(),
        "master.db.password=" + db.password(), ""));
    Path moverCfg = tmp.resolve("mover.properties");
    Files.writeString(moverCfg, String.join("\n", "mover.name=mover-k", "mover.dataDir=" + tmp.resolve("mover"),
        "mover.upload.bind=127.0.0.1", "mover.upload.port=" + FreePorts.next(), "portal.sftp.port=" + FreePorts.next(), "portal.https.port=-1", "portal.s3.port=-1", "portal.ftps.port=-1", "portal.ftps.implicitPort=-1",
        "portal.sftp.bind=127.0.0.1", "master.host=127.0.0.1", "master.port=" + grpcPort,
        "master.trustCert=" + masterDir.resolve("tls/cert.pem"), "cluster.secretFile=" + masterDir.resolve("cluster.secret"),
        ""));
    Path log = tmp.resolve("processes.log");
    List<Process> all = new ArrayList<>();
    try (OpenSshServer sshd = OpenSshServer.start()) {
      Process master = JavaProcess.launch(all, "master", masterCfg, log);
      FreePorts.awaitListening(restPort, Duration.ofSeconds(60));
      Process mover = JavaProcess.launch(all, "mover", moverCfg, log);
      String adminPassword = Files.readString(masterDir.resolve("admin-password")).strip();
      Rest admin = new Rest(restPort, masterDir.resolve("tls/cert.pem"), "admin", adminPassword);
      admin.call("POST", "destination", Map.of("name", "CRASH", "retryFrequency", 1000,
          "ifTargetExists", ifTargetExists));
      admin.call("POST", "host", Map.of("name", "target", "transferMethod", "sftp", "address", "127.0.0.1",
          "port", sshd.port(), "login", sshd.user(), "password", sshd.password(), "directory", "out"));
      admin.call("PUT", "destination/CRASH/host/target", Map.of("priority", 0));
      admin.awaitMoverOnline("mover-k");

      JavaProcess.Result push = JavaProcess.run("org.ecpds.cli.Ecpds", List.of("-echost", "localhost", "-ecport",
          String.valueOf(restPort), "-cacert", masterDir.resolve("tls/cert.pem").toString(), "-user", "admin", "-pass",
          adminPassword, "-destination", "CRASH", "-source", source.toString()), tmp);
      assertThat(push.exit()).as(push.err()).isZero();
      long transferId = admin.transferOf(Long.parseLong(push.out().strip()));

      Path finalFile = sshd.home().resolve("out/big.bin");
      Path tempFile = sshd.home().resolve("out/.big.bin.ecpds-tmp");
      AtomicBoolean watching = new AtomicBoolean(true);
      AtomicReference<String> partial = new AtomicReference<>();
      Thread watcher = new Thread(() -> {
        while (watching.get()) {
          try {
            if (Files.exists(finalFile) && Files.size(finalFile) != size) partial.set("final file had " + Files.size(finalFile) + " bytes");
          } catch (java.io.IOException ignored) {
            // renamed under us: fine
          }
        }
      });
      watcher.start();

      // kill -9 once a good part of the file is on its way
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      while (!(Files.exists(tempFile) && Files.size(tempFile) > killAt)) {
        if (System.nanoTime() > deadline) throw new AssertionError("transfer never started: " + admin.call("GET", "transfer/" + transferId, null));
        Thread.sleep(5);
      }
      mover.destroyForcibly().waitFor();
      long sentBeforeKill = Files.size(tempFile);
      assertThat(sentBeforeKill).isLessThan(size);
      assertThat(finalFile).doesNotExist();

      JsonNode requeued = admin.awaitTransfer(transferId, "WAIT", Duration.ofSeconds(30));
      assertThat(requeued.get("history")).extracting(h -> h.get("status").asText())
          .containsExactly("WAIT", "EXEC", "INTR", "WAIT");
      assertThat(finalFile).doesNotExist();

      JavaProcess.launch(all, "mover", moverCfg, log);
      JsonNode done = admin.awaitTransfer(transferId, "DONE", Duration.ofSeconds(300));
      assertThat(done.get("history")).extracting(h -> h.get("status").asText())
          .containsExactly("WAIT", "EXEC", "INTR", "WAIT", "EXEC", "DONE");
      watching.set(false);
      watcher.join();
      assertThat(partial.get()).isNull();
      assertThat(StandaloneEndToEndTest.sha256(finalFile)).isEqualTo(sha);
      assertThat(tempFile).doesNotExist();
      assertThat(master.isAlive()).isTrue();
      return done;
    } finally {
      for (Process p : all) p.destroyForcibly().waitFor();
    }
  }
}
