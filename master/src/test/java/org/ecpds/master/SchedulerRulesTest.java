package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.DestinationAction;
import org.ecpds.master.domain.DestinationState;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.UserService.Principal;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.Instruction;
import org.ecpds.testkit.ManualClock;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Time-based delivery rules through the real scheduler, on H2 and MariaDB, against a manual clock:
 * time passes only when the test advances it (then tick runs the timers that are due).
 */
class SchedulerRulesTest {
  private static final Instant NINE = Instant.parse("2026-12-04T09:00:00Z");

  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static DestinationService.Settings settings(int retryCount, int maxRequeue, long retryMs, String onFailure,
      long resetMs, String properties) {
    return new DestinationService.Settings(null, true, 1, retryCount, retryMs, maxRequeue, onFailure, null, null, null,
        null, resetMs, null, null, properties);
  }

  private static void host(MasterHarness m, String name, String dest, int priority) {
    m.node.hosts().create(name, new HostService.Spec("dissemination", "sftp", "127.0.0.1", 22, "u", "p", "out", Map.of(),
        true));
    m.node.destinations().associate(dest, name, priority);
  }

  private static long push(MasterHarness m, ScriptedMover mover, String dest, String target, Long at) throws Exception {
    DataFileService.Allocation a = m.node.dataFiles().register(Principal.admin("admin"),
        new DataFileService.Registration(dest, "/src/" + target, target, 50, "1d", Map.of(), 10L, false, null, null, at));
    assertThat(mover.stored(a.dataFileId(), 10).getOk()).isTrue();
    return m.node.transfers().ofDataFile(a.dataFileId()).get(0).id();
  }

  private static DestinationState state(MasterHarness m, String dest) {
    return m.node.operatorActions().states().get(m.node.destinations().get(dest).id());
  }

  /** Waits for a condition (the failure reports travel asynchronously), with a deadline. */
  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
      Thread.sleep(20); // polling interval of a condition wait with a deadline
    }
  }

  private static void advance(MasterHarness m, ManualClock clock, Duration d) {
    clock.advance(d);
    m.node.scheduler().tick();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void nothingIsSentOutsideTheActiveTimeRangeUntilTheWindowOpens(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = new MasterHarness(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("W", settings(0, 3, 60_000, null, 0,
          "scheduler.activeTimeRange = \"10:00-11:00\""));
      host(m, "w1", "W", 0);
      long t = push(m, mover, "W", "w.bin", null);
      assertThat(mover.poll(300)).as("outside 10:00-11:00 nothing is sent").isNull();
      assertThat(state(m, "W")).isEqualTo(DestinationState.SCHE);
      advance(m, clock, Duration.ofMinutes(59));
      assertThat(mover.poll(300)).as("09:59 is still outside").isNull();
      advance(m, clock, Duration.ofMinutes(1));
      Instruction i = mover.next();
      assertThat(i.getDisseminate().getTransferId()).isEqualTo(t);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aScheduledTransferWaitsForItsTime(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = new MasterHarness(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("S", settings(0, 3, 60_000, null, 0, ""));
      host(m, "s1", "S", 0);
      long later = push(m, mover, "S", "later.bin", NINE.plus(Duration.ofHours(1)).toEpochMilli());
      long now = push(m, mover, "S", "now.bin", null);
      Instruction first = mover.next();
      assertThat(first.getDisseminate().getTransferId()).as("the unscheduled one goes first").isEqualTo(now);
      mover.ok(first);
      assertThat(mover.poll(300)).isNull();
      advance(m, clock, Duration.ofHours(1));
      assertThat(mover.next().getDisseminate().getTransferId()).isEqualTo(later);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void retryCountHoldsTheDestinationUntilAnOperatorReleasesIt(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = new MasterHarness(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("H", settings(2, 5, 60_000, null, 0, ""));
      host(m, "h1", "H", 0);
      long a = push(m, mover, "H", "a.bin", null);
      long b = push(m, mover, "H", "b.bin", null);
      mover.fail(mover.next(), ErrorKind.NETWORK, "reset");
      mover.fail(mover.next(), ErrorKind.NETWORK, "reset");
      awaitTrue(() -> Destination.HELD.equals(m.node.destinations().get("H").dispatchState()));
      assertThat(state(m, "H")).isEqualTo(DestinationState.HOLD);
      advance(m, clock, Duration.ofMinutes(2));
      assertThat(mover.poll(300)).as("a held destination sends nothing, even when retries are due").isNull();
      m.node.operatorActions().destination(Principal.admin("ops"), "H", DestinationAction.RELEASE);
      Instruction again = mover.next();
      assertThat(again.getDisseminate().getTransferId()).isIn(a, b);
      mover.ok(again);
      mover.ok(mover.next());
      assertThat(state(m, "H")).isIn(DestinationState.WAIT, DestinationState.EXEC);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void nextAndStayUsesTheBackupThenReturnsToThePrimaryAfterResetFrequency(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = new MasterHarness(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("F", settings(0, 3, 60_000, "next and stay", 600_000, ""));
      host(m, "primary", "F", 0);
      host(m, "backup", "F", 1);
      push(m, mover, "F", "x.bin", null);
      Instruction onPrimary = mover.next();
      assertThat(onPrimary.getDisseminate().getHost().getName()).isEqualTo("primary");
      mover.fail(onPrimary, ErrorKind.NETWORK, "refused");
      Instruction onBackup = mover.next();
      assertThat(onBackup.getDisseminate().getHost().getName()).isEqualTo("backup");
      mover.ok(onBackup);
      push(m, mover, "F", "y.bin", null);
      Instruction stays = mover.next();
      assertThat(stays.getDisseminate().getHost().getName()).as("next and stay").isEqualTo("backup");
      mover.ok(stays);
      advance(m, clock, Duration.ofMinutes(11));
      push(m, mover, "F", "z.bin", null);
      assertThat(mover.next().getDisseminate().getHost().getName()).as("after Reset Frequency").isEqualTo("primary");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aHostsOwnConnectionCapHoldsAcrossItsDestinations(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.hosts().create("shared", new HostService.Spec("dissemination", "sftp", "127.0.0.1", 22, "u", "p", "out",
          Map.of(), true, 1));
      for (String d : new String[] {"A", "B"}) {
        m.node.destinations().create(d, new DestinationService.Settings(null, true, 2, 0, 60_000L, 3, null));
        m.node.destinations().associate(d, "shared", 0);
      }
      push(m, mover, "A", "a1.bin", null);
      push(m, mover, "A", "a2.bin", null);
      push(m, mover, "B", "b1.bin", null);
      Instruction first = mover.next();
      assertThat(mover.poll(300)).as("host maxConnections=1 over both destinations").isNull();
      mover.ok(first);
      Instruction second = mover.next();
      assertThat(mover.poll(300)).isNull();
      mover.ok(second);
      mover.ok(mover.next());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void deleteFromSpoolOnSuccessExpiresTheFileOnceDelivered(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("D", new DestinationService.Settings(null, true, 1, 0, 60_000L, 3, null, null, null,
          null, null, null, null, "on success", null));
      host(m, "d1", "D", 0);
      long t = push(m, mover, "D", "d.bin", null);
      long fileId = m.node.transfers().get(t).dataFileId();
      long before = m.node.dataFiles().get(fileId).expiryMs();
      mover.ok(mover.next());
      awaitTrue(() -> m.node.dataFiles().get(fileId).expiryMs() < before);
      assertThat(m.node.transfers().get(t).status()).isEqualTo("DONE");
    }
  }

  /**
   * A link cut leaves the mover registered for its grace period. A transfer that falls due then is
   * not sent into the dead stream (which would interrupt it and use up one of its Max Requeue): it
   * waits and goes as soon as the mover is back.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aTransferDueWhileItsMoverIsInItsGracePeriodWaitsForTheMover(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = new MasterHarness(db, clock, c -> c.with("master.moverGraceMillis", 60_000))) {
      m.node.destinations().create("G", settings(0, 3, 60_000, null, 0, ""));
      host(m, "g1", "G", 0);
      ScriptedMover first = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10);
      long t = push(m, first, "G", "g.bin", null);
      first.fail(first.next(), ErrorKind.NETWORK, "reset");
      awaitTrue(() -> "RETR".equals(m.node.transfers().get(t).status()));
      long moverId = m.node.movers().onlineId("mover-a").orElseThrow();
      first.kill();
      awaitTrue(() -> m.node.movers().online(moverId).map(l -> l.session().isClosed()).orElse(true));
      assertThat(m.node.movers().online(moverId)).as("still in its grace period").isPresent();

      advance(m, clock, Duration.ofMinutes(2)); // the retry falls due while the stream is gone
      awaitTrue(() -> "WAIT".equals(m.node.transfers().get(t).status()));
      try (ScriptedMover back = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
        Instruction again = back.next();
        assertThat(again.getDisseminate().getTransferId()).isEqualTo(t);
        back.ok(again);
        awaitTrue(() -> "DONE".equals(m.node.transfers().get(t).status()));
      }
      assertThat(m.node.transfers().history(t)).extracting(org.ecpds.master.domain.HistoryRow::status)
          .as("no attempt was sent into the dead stream").containsExactly("WAIT", "EXEC", "RETR", "WAIT", "EXEC", "DONE");
    }
  }
}
