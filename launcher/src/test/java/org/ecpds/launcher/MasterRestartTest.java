package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master and mover as separate processes (master on its embedded H2 file database): the master is
 * killed with SIGKILL; the CLI then fails cleanly; after the master restarts, the mover reconnects
 * by itself (backoff) and pushes work again, with the earlier data intact.
 */
class MasterRestartTest {
  @TempDir Path tmp;

  @Test
  void moverReconnectsWhenTheMasterComesBack() throws Exception {
    int restPort = FreePorts.next();
    int grpcPort = FreePorts.next();
    Path masterDir = tmp.resolve("master");
    Path masterCfg = tmp.resolve("master.properties");
    // MariaDB, the production database: what a killed master must find again is the database's job, and H2's
    // embedded file once lost the first push's rows here under heavy load (see docs/reliability.md)
    TestDatabase db = TestDatabases.mariadb();
    Files.writeString(masterCfg, String.join("\n", "master.dataDir=" + masterDir, "master.rest.host=127.0.0.1",
        "master.rest.port=" + restPort, "master.grpc.port=" + grpcPort, "master.bcryptCost=4",
        "master.db.url=" + db.jdbcUrl(), "master.db.user=" + db.user(), "master.db.password=" + db.password(), ""));
    Path moverCfg = tmp.resolve("mover.properties");
    Files.writeString(moverCfg, String.join("\n", "mover.name=mover-r", "mover.dataDir=" + tmp.resolve("mover"),
        "mover.upload.bind=127.0.0.1", "mover.upload.port=" + FreePorts.next(), "portal.sftp.port=-1", "portal.https.port=-1", "portal.s3.port=-1", "portal.ftps.port=-1", "portal.ftps.implicitPort=-1",
        "master.host=127.0.0.1", "master.port=" + grpcPort, "mover.link.maxBackoff=2s",
        "master.trustCert=" + masterDir.resolve("tls/cert.pem"), "cluster.secretFile=" + masterDir.resolve("cluster.secret"),
        ""));
    Path log = tmp.resolve("processes.log");
    Path file = tmp.resolve("small.txt");
    Files.writeString(file, "hello ecpds\n");
    List<Process> all = new ArrayList<>();
    try {
      Process master = JavaProcess.launch(all, "master", masterCfg, log);
      FreePorts.awaitListening(restPort, Duration.ofSeconds(60));
      JavaProcess.launch(all, "mover", moverCfg, log);
      String password = Files.readString(masterDir.resolve("admin-password")).strip();
      Path cert = masterDir.resolve("tls/cert.pem");
      Rest admin = new Rest(restPort, cert, "admin", password);
      admin.call("POST", "destination", Map.of("name", "BUCKET"));
      admin.awaitMoverOnline("mover-r");
      List<String> push = List.of("-echost", "localhost", "-ecport", String.valueOf(restPort), "-cacert",
          cert.toString(), "-user", "admin", "-pass", password, "-destination", "BUCKET", "-source", file.toString());
      JavaProcess.Result first = JavaProcess.run("org.ecpds.cli.Ecpds", push, tmp);
      assertThat(first.exit()).as(first.err()).isZero();

      master.destroyForcibly().waitFor();
      JavaProcess.Result down = JavaProcess.run("org.ecpds.cli.Ecpds", push, tmp);
      assertThat(down.exit()).isEqualTo(3);
      assertThat(down.err()).contains("cannot reach master");

      JavaProcess.launch(all, "master", masterCfg, log);
      FreePorts.awaitListening(restPort, Duration.ofSeconds(60));
      Rest again = new Rest(restPort, cert, "admin", password);
      again.awaitMoverOnline("mover-r");
      JavaProcess.Result second = JavaProcess.run("org.ecpds.cli.Ecpds", push, tmp);
      assertThat(second.exit()).as(second.err()).isZero();
      JsonNode transfers = again.call("GET", "transfer?destination=BUCKET", null).get("transfers");
      assertThat(transfers).hasSize(2);
      assertThat(transfers).extracting(t -> t.get("status").asText()).containsOnly("HOLD");
    } finally {
      for (Process p : all) p.destroyForcibly().waitFor();
    }
  }
}
