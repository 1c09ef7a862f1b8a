package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ecpds.common.config.Config;
import org.ecpds.master.MasterNode;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/** -expected/-started/-completed/-reset against a real master (H2): the stored status and the PRS event lines. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductStatusCliTest {
  private MasterNode node;
  private Path dir;
  private Path cacert;
  private String adminPass;
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeAll
  void startMaster() throws Exception {
    dir = Files.createTempDirectory("ecpds-cli-product");
    TestDatabase db = TestDatabases.h2();
    Config cfg = Config.empty().with("master.dataDir", dir.resolve("master")).with("master.db.url", db.jdbcUrl())
        .with("master.db.user", db.user()).with("master.db.password", db.password()).with("master.rest.port", 0)
        .with("master.rest.host", "127.0.0.1").with("master.grpc.port", -1)
        .with("master.inProcessName", "cli-product-" + System.nanoTime()).with("master.bcryptCost", 4);
    node = new MasterNode(cfg).start();
    adminPass = node.generatedAdminPassword();
    node.users().createIncoming("bob", "bob-password-1", null);
    cacert = Files.writeString(dir.resolve("master.pem"), node.tls().certificatePem());
    events.start();
    Logger log = (Logger) LoggerFactory.getLogger("ecpds.events");
    // this module's logback-test.xml logs WARN and up; the event lines are INFO
    log.setLevel(ch.qos.logback.classic.Level.INFO);
    log.setAdditive(false);
    log.addAppender(events);
  }

  @AfterAll
  void stopMaster() {
    ((Logger) LoggerFactory.getLogger("ecpds.events")).detachAppender(events);
    if (node != null) node.close();
    Processes.deleteTree(dir);
  }

  private CliRun run(String user, String pass, String... extra) {
    List<String> args = new ArrayList<>(List.of("-echost", "localhost", "-ecport", "" + node.restPort(),
        "-cacert", cacert.toString(), "-user", user, "-pass", pass));
    args.addAll(List.of(extra));
    return CliRun.of(args.toArray(String[]::new));
  }

  private CliRun admin(String... extra) {
    return run("admin", adminPass, extra);
  }

  private Optional<String> stored(String stream, String time, long step) {
    return node.database().jdbi().withHandle(h -> h.createQuery("SELECT status_code FROM product_status WHERE stream = :s "
        + "AND time_base = :t AND type = '' AND step = :n").bind("s", stream).bind("t", time).bind("n", step)
        .mapTo(String.class).findOne());
  }

  private List<String> prsLines() {
    return events.list.stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.startsWith("PRS;")).toList();
  }

  @Test
  void expectedStartedCompletedThenReset() {
    CliRun expected = admin("-expected", "-at", "20261205060000", "-metadata", "stream=oper,time=00,step=24");
    assertThat(expected.code()).as(expected.err()).isZero();
    assertThat(expected.out().strip()).isEqualTo("oper 00 step 24 INIT");
    assertThat(stored("oper", "00", 24)).contains("INIT");
    assertThat(prsLines()).anySatisfy(l -> assertThat(l).contains(";StatusCode=INIT;DataStream=oper;TimeStep=24;"
        + "TimeBase=00;Type=;ScheduleTime=2026-12-05 06:00:00.000000000;"));

    assertThat(admin("-started", "-metadata", "stream=oper,time=00,step=24").code()).isZero();
    assertThat(stored("oper", "00", 24)).contains("EXEC");
    CliRun completed = admin("-completed", "-metadata", "stream=oper", "-metadata", "time=00,step=24");
    assertThat(completed.out().strip()).isEqualTo("oper 00 step 24 DONE");
    assertThat(stored("oper", "00", 24)).contains("DONE");
    assertThat(prsLines()).anySatisfy(l -> assertThat(l).contains("StatusCode=DONE;DataStream=oper"));

    CliRun reset = admin("-reset", "-metadata", "stream=oper,time=00,step=24");
    assertThat(reset.code()).as(reset.err()).isZero();
    assertThat(reset.out().strip()).isEqualTo("oper 00 step 24 RESET");
    assertThat(stored("oper", "00", 24)).isEmpty();
    assertThat(admin("-reset", "-metadata", "stream=oper,time=00,step=24").out().strip()).isEqualTo("oper 00 step 24 NONE");
  }

  @Test
  void refusalsAndUsageErrors() {
    CliRun notOperator = run("bob", "bob-password-1", "-expected", "-metadata", "stream=enfo,time=12,step=0");
    assertThat(notOperator.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(stored("enfo", "12", 0)).isEmpty();
    OptionsTest.assertUsage(admin("-expected"), "-expected needs -metadata");
    OptionsTest.assertUsage(admin("-started", "-metadata", "stream=s,time=00"), "-started needs step= in -metadata");
    OptionsTest.assertUsage(admin("-started", "-metadata", "stream=s,time=00,step=x"), "invalid -metadata step 'x'");
    OptionsTest.assertUsage(admin("-started", "-metadata", "stream=s,time=00,step=1,colour=red"), "unknown product -metadata key 'colour'");
    OptionsTest.assertUsage(admin("-expected", "-completed", "-metadata", "stream=s,time=00,step=1"), "only one of");
    OptionsTest.assertUsage(admin("-expected", "-destination", "D", "-metadata", "stream=s,time=00,step=1"),
        "takes no -destination");
    OptionsTest.assertUsage(admin("-expected", "-status", "-reqid", "1"), "cannot be combined");
    // the master's own validation: a negative step is a 400 with its message
    CliRun negative = admin("-expected", "-metadata", "stream=s,time=00,step=-1");
    assertThat(negative.code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(negative.err()).contains("step must be >= 0");
  }
}
