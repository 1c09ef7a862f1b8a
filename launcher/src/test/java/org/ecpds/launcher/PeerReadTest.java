package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.ecpds.launcher.FaultCluster.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 item 3: a portal user may connect to any mover. A file pushed to (and held by) one mover
 * is downloaded byte-identical through another mover's portal, each mover in its own process; the
 * second mover streams it from the first over the authenticated peer path and copies nothing.
 */
class PeerReadTest {
  @TempDir Path tmp;

  @Test
  void aFileHeldByOneMoverIsDownloadedThroughAnothersPortal() throws Exception {
    try (FaultCluster c = FaultCluster.start(tmp.resolve("cluster"))) {
      Rest admin = c.admin();
      Path source = tmp.resolve("peer-read.bin");
      StandaloneEndToEndTest.writeRandom(source, 9L << 20, 42);
      JavaProcess.Result push = JavaProcess.run("org.ecpds.cli.Ecpds", c.pushArgs(source), tmp);
      assertThat(push.exit()).as(push.err()).isZero();
      long dataFileId = Long.parseLong(push.out().strip());
      admin.awaitTransfer(admin.transferOf(dataFileId), "DONE", Duration.ofSeconds(120));

      // only now does the second mover start: the file can only be on the first one
      c.launch(Role.SECOND_MOVER);
      admin.awaitMoverOnline(FaultCluster.SECOND_MOVER_NAME, FaultCluster.START);
      Path pulled = tmp.resolve("pulled.bin");
      assertThat(c.portalGet(Role.SECOND_MOVER, "peer-read.bin", pulled)).as("sftp exit code").isZero();
      assertThat(StandaloneEndToEndTest.sha256(pulled)).isEqualTo(StandaloneEndToEndTest.sha256(source));
      assertThat(storedFiles(c.moverDir(Role.SECOND_MOVER))).as("the second mover streamed, it kept no copy").isZero();
      assertThat(storedFiles(c.moverDir(Role.MOVER))).isEqualTo(1);
    }
  }

  private static long storedFiles(Path moverDir) throws Exception {
    if (!Files.exists(moverDir)) return 0;
    try (Stream<Path> s = Files.walk(moverDir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().contains("/data/")).count();
    }
  }
}
