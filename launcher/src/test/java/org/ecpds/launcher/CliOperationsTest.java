package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.cli.Ecpds;
import org.ecpds.cli.ExitCodes;
import org.ecpds.common.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's OpenECPDS management flags against a real standalone (H2, a real mover): a push with
 * -event and -remove, -status of the file and its destination, -requeue, and -scheduler
 * -stop/-check/-start, with their exit codes and output.
 */
class CliOperationsTest {
  @TempDir Path tmp;
  private int restPort;
  private String adminPassword;
  private Path cert;

  private Config config() {
    return TestConfig.empty().with("standalone.dataDir", tmp.resolve("data")).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1)
        .with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
        .with("monitor.port", 0).with("master.bcryptCost", 4);
  }

  @Test
  void pushStatusRequeueAndScheduler() throws Exception {
    try (Standalone sa = Standalone.start(config(), System.out)) {
      restPort = sa.master().restPort();
      adminPassword = sa.master().generatedAdminPassword();
      cert = tmp.resolve("data/tls/cert.pem");
      Rest admin = new Rest(restPort, cert, "admin", adminPassword);
      admin.call("POST", "destination", Map.of("name", "OPS"));

      // -event is accepted by the master; -remove deletes the local file once it is stored; -caller is in INH
      Path file = Files.writeString(tmp.resolve("ops.bin"), "operations test content");
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
          new ch.qos.logback.core.read.ListAppender<>();
      events.start();
      ch.qos.logback.classic.Logger eventLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ecpds.events");
      eventLog.addAppender(events);
      Run pushed;
      try {
        pushed = cli("-destination", "OPS", "-source", file.toString(), "-event", "-remove", "-verbose", "-caller", "job-42");
      } finally {
        eventLog.detachAppender(events);
      }
      assertThat(events.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
          .anySatisfy(l -> assertThat(l).startsWith("INH;").contains(";Caller=job-42;"));
      assertThat(pushed.exit).as(pushed.err).isEqualTo(ExitCodes.OK);
      long id = Long.parseLong(pushed.out.strip());
      assertThat(file).doesNotExist();
      assertThat(pushed.err).contains("registered data file " + id).contains("removed " + file);

      // -status -reqid: the file and its transfer, as text and as JSON
      Run status = cli("-status", "-reqid", "" + id);
      assertThat(status.exit).as(status.err).isEqualTo(ExitCodes.OK);
      assertThat(status.out).contains("datafile " + id + " destination=OPS target=ops.bin size=23 arrived=true")
          .contains("transfer ");
      Run json = cli("-status", "-reqid", "" + id, "-json");
      JsonNode node = new ObjectMapper().readTree(json.out);
      assertThat(node.get("id").asLong()).isEqualTo(id);
      assertThat(node.get("transfers")).hasSize(1);
      long transfer = node.at("/transfers/0/id").asLong();

      // nothing to requeue while the transfer is queued: exit 1, the master's state unchanged
      Run notYet = cli("-requeue", "-reqid", "" + id);
      assertThat(notYet.exit).isEqualTo(ExitCodes.REFUSED);
      assertThat(notYet.err).contains("data file " + id + " has no transfer that can be requeued");
      admin.call("POST", "transfer/" + transfer + "/stop", Map.of());
      int historyStopped = admin.call("GET", "transfer/" + transfer, null).at("/transfer/history").size();
      Run requeued = cli("-requeue", "-reqid", "" + id);
      assertThat(requeued.exit).as(requeued.err).isEqualTo(ExitCodes.OK);
      assertThat(requeued.out.strip()).isEqualTo("" + transfer);
      JsonNode after = admin.call("GET", "transfer/" + transfer, null).get("transfer");
      assertThat(after.get("status").asText()).isNotEqualTo("STOP");
      assertThat(after.get("history").size()).as("the requeue is in its history").isGreaterThan(historyStopped);
      Run unknown = cli("-requeue", "-reqid", "999999");
      assertThat(unknown.exit).isEqualTo(ExitCodes.REFUSED);
      assertThat(unknown.err).contains("999999");

      // -scheduler: -stop holds, -check says so with exit 1, -start releases
      Run check = cli("-scheduler", "-check", "-destination", "OPS");
      assertThat(check.exit).as(check.err).isEqualTo(ExitCodes.OK);
      Run stop = cli("-scheduler", "-stop", "-destination", "OPS");
      assertThat(stop.exit).as(stop.err).isEqualTo(ExitCodes.OK);
      assertThat(stop.out).startsWith("OPS HOLD");
      Run held = cli("-scheduler", "-check", "-destination", "OPS", "-json");
      assertThat(held.exit).isEqualTo(ExitCodes.REFUSED);
      assertThat(new ObjectMapper().readTree(held.out).get("running").asBoolean()).isFalse();
      assertThat(cli("-scheduler", "-stop", "-destination", "OPS").exit).as("stopping twice").isEqualTo(ExitCodes.OK);
      Run start = cli("-scheduler", "-start", "-destination", "OPS");
      assertThat(start.exit).as(start.err).isEqualTo(ExitCodes.OK);
      assertThat(cli("-scheduler", "-check", "-destination", "OPS").exit).isEqualTo(ExitCodes.OK);
      Run noSuch = cli("-scheduler", "-check", "-destination", "NOPE");
      assertThat(noSuch.exit).isEqualTo(ExitCodes.REFUSED);

      // -status -destination: its state and transfers per status
      Run dest = cli("-status", "-destination", "OPS");
      assertThat(dest.exit).as(dest.err).isEqualTo(ExitCodes.OK);
      assertThat(dest.out).startsWith("destination OPS state=").contains("transfers " + after.get("status").asText() + "=1");
      JsonNode destJson = new ObjectMapper().readTree(cli("-status", "-destination", "OPS", "-json").out);
      assertThat(destJson.at("/transfers/" + after.get("status").asText()).asInt()).isEqualTo(1);

      // -tryCount: a master that answers is never asked twice, even when it refuses
      Run refused = cli("-destination", "NOWHERE", "-source", Files.writeString(tmp.resolve("x"), "x").toString(),
          "-tryCount", "3", "-tryDelaySec", "0", "-verbose");
      assertThat(refused.exit).isEqualTo(ExitCodes.REFUSED);
      assertThat(refused.err).doesNotContain("attempt 2/3");
    }
  }

  private record Run(int exit, String out, String err) {}

  private Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of("-echost", "localhost", "-ecport", String.valueOf(restPort),
        "-cacert", cert.toString(), "-user", "admin", "-pass", adminPassword));
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Ecpds.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
        name -> null);
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
