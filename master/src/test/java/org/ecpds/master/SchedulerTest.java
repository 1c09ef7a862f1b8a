package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.HistoryRow;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.UserService.Principal;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.Instruction;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Dissemination scheduling rules, on H2 and on MariaDB. */
class SchedulerTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static DestinationService.Settings settings(int maxConnections, int retryCount, long retryMs) {
    return new DestinationService.Settings(null, true, maxConnections, retryCount, retryMs, 3, null);
  }

  private static void host(MasterHarness m, String name, String dest, int priority) {
    m.node.hosts().create(name, new HostService.Spec("dissemination", "sftp", "127.0.0.1", 22, "u", "p",
        "$destination/$date", Map.of(), true));
    m.node.destinations().associate(dest, name, priority);
  }

  /** A 10-byte data file registered by admin, not yet stored. */
  private static DataFileService.Allocation register(MasterHarness m, String dest, String target, int priority) {
    return m.node.dataFiles().register(Principal.admin("admin"),
        new DataFileService.Registration(dest, "/src/" + target, target, priority, "1d", Map.of(), 10L, false));
  }

  private static long push(MasterHarness m, ScriptedMover mover, String dest, String target, int priority)
      throws Exception {
    DataFileService.Allocation a = register(m, dest, target, priority);
    assertThat(mover.stored(a.dataFileId(), 10).getOk()).isTrue();
    return m.node.transfers().ofDataFile(a.dataFileId()).get(0).id();
  }

  private static String status(MasterHarness m, long transferId) {
    return m.node.transfers().get(transferId).status();
  }

  private static long transferOf(Instruction i) {
    return i.getDisseminate().getTransferId();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aRepeatedArrivalReportQueuesWhatAFirstReportCommittedButNeverQueued(TestDatabase db) throws Exception {
    // DatabaseRestartTest: the database connection broke right after the arrival's commit, the master answered
    // "not now", and the mover's repeated report found the file arrived: its transfer waited forever
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("D", settings(2, 3, 60_000));
      host(m, "h1", "D", 0);
      DataFileService.Allocation a = register(m, "D", "x.bin", 50);
      long moverId = m.node.movers().onlineId("mover-a").orElseThrow();
      // the state such a first report leaves: arrived and committed, never handed to the scheduler
      m.node.dataFiles().stored(moverId, a.dataFileId(), 10, "00", "v0");
      long t = m.node.transfers().ofDataFile(a.dataFileId()).get(0).id();
      assertThat(status(m, t)).isEqualTo("WAIT");

      assertThat(mover.stored(a.dataFileId(), 10).getOk()).isTrue();
      assertThat(transferOf(mover.next())).isEqualTo(t);
      assertThat(mover.stored(a.dataFileId(), 10).getOk()).as("a third report").isTrue();
      assertThat(mover.poll(300)).as("a transfer the scheduler holds is not dispatched twice").isNull();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void priorityOrderParallelismAndHistory(TestDatabase db) throws Exception {
    try (org.ecpds.testkit.EventLines events = new org.ecpds.testkit.EventLines();
        MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("D", settings(2, 3, 60_000));
      // queue files while the destination has no hosts yet: they wait as StandBy? no: create host after
      host(m, "h1", "D", 0);
      m.node.destinations().update("D", new DestinationService.Settings(null, false, null, null, null, null, null));
      long low = push(m, mover, "D", "low.bin", 90);
      long high = push(m, mover, "D", "high.bin", 10);
      long mid = push(m, mover, "D", "mid.bin", 50);
      long high2 = push(m, mover, "D", "high2.bin", 10);
      assertThat(mover.poll(300)).as("disabled destination dispatches nothing").isNull();
      m.node.destinations().update("D", new DestinationService.Settings(null, true, null, null, null, null, null));

      Instruction first = mover.next();
      Instruction second = mover.next();
      assertThat(List.of(transferOf(first), transferOf(second))).containsExactly(high, high2);
      assertThat(mover.poll(300)).as("maxConnections=2 caps parallelism").isNull();
      assertThat(first.getDisseminate().getTargetPath()).matches("D/\\d{8}/high\\.bin");
      assertThat(first.getDisseminate().getHost().getPassword()).isEqualTo("p");
      assertThat(status(m, high)).isEqualTo("EXEC");

      mover.ok(first);
      assertThat(transferOf(mover.next())).isEqualTo(mid);
      mover.ok(second);
      assertThat(transferOf(mover.next())).isEqualTo(low);

      // the event line is written once the DONE is committed, on the scheduler's thread: wait for it
      events.await(l -> l.startsWith("UPH;DataTransferId=" + high + ";") && l.contains("Destination=D")
              && l.contains("HostName=h1") && l.contains("TransferProtocol=sftp") && l.contains("BytesSent=10"),
          java.time.Duration.ofSeconds(10));
      List<HistoryRow> history = m.node.transfers().history(high);
      assertThat(history).extracting(HistoryRow::status).containsExactly("WAIT", "EXEC", "DONE");
      assertThat(status(m, high)).isEqualTo("DONE");
      assertThat(m.node.transfers().get(high).sent()).isEqualTo(10);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void theDispatchWindowIsMaxConnectionsTimesBatchSizeAndTheCapTravels(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db, java.time.Clock.systemUTC(), c -> c.with("scheduler.batchSize", 3));
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("W", settings(1, 3, 60_000));
      host(m, "hw", "W", 0);
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) ids.add(push(m, mover, "W", "w" + i + ".bin", 50));
      List<Instruction> sent = List.of(mover.next(), mover.next(), mover.next());
      assertThat(mover.poll(300)).as("maxConnections 1 x scheduler.batchSize 3 in flight").isNull();
      assertThat(sent).extracting(SchedulerTest::transferOf).containsExactlyElementsOf(ids.subList(0, 3));
      assertThat(sent).allSatisfy(i -> assertThat(i.getDisseminate().getHostMaxConnections())
          .as("the mover opens one session for them").isEqualTo(1));
      for (long id : ids.subList(0, 3)) assertThat(status(m, id)).as("waiting in the mover is EXEC").isEqualTo("EXEC");
      mover.ok(sent.get(0));
      assertThat(transferOf(mover.next())).isEqualTo(ids.get(3));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void retryWaitDoesNotBlockQueueAndFailsAfterMaxRequeue(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      // Retry Count 0: failures never hold the destination; Max Requeue 1: the second round fails
      m.node.destinations().create("R", new DestinationService.Settings(null, true, 1, 0, 1500L, 1, null));
      host(m, "h1", "R", 0);
      long a = push(m, mover, "R", "a.bin", 10);
      Instruction ia = mover.next();
      assertThat(transferOf(ia)).isEqualTo(a);
      long b = push(m, mover, "R", "b.bin", 20);
      long c = push(m, mover, "R", "c.bin", 30);

      long failedAt = System.currentTimeMillis();
      mover.fail(ia, ErrorKind.NETWORK, "Connection reset");
      // the retry wait of 'a' must not stall b and c
      Instruction ib = mover.next();
      assertThat(transferOf(ib)).isEqualTo(b);
      assertThat(status(m, a)).isEqualTo("RETR");
      mover.ok(ib);
      Instruction ic = mover.next();
      assertThat(transferOf(ic)).isEqualTo(c);
      mover.ok(ic);
      // a comes back after retryFrequency
      Instruction retry = mover.next();
      assertThat(transferOf(retry)).isEqualTo(a);
      assertThat(System.currentTimeMillis() - failedAt).isGreaterThanOrEqualTo(1400);
      mover.fail(retry, ErrorKind.NETWORK, "Connection reset");
      awaitStatus(m, a, "FAIL");
      assertThat(m.node.transfers().history(a)).extracting(HistoryRow::status)
          .containsExactly("WAIT", "EXEC", "RETR", "WAIT", "EXEC", "FAIL");
      assertThat(m.node.transfers().get(a).message()).contains("Connection reset");

      // errors a wait cannot cure stop at once, without a retry wait
      long b2 = push(m, mover, "R", "b2.bin", 5);
      Instruction denied = mover.next();
      assertThat(transferOf(denied)).isEqualTo(b2);
      try (org.ecpds.testkit.EventLines events = new org.ecpds.testkit.EventLines()) {
        mover.fail(denied, ErrorKind.AUTHENTICATION, "Auth fail");
        awaitStatus(m, b2, "STOP");
        // written after the commit that awaitStatus saw, on the scheduler's thread: wait for it
        events.await(l -> l.startsWith("ERR;DataTransferId=" + b2 + ";") && l.contains("ErrorKind=AUTHENTICATION")
            && l.contains("StatusCode=STOP"), java.time.Duration.ofSeconds(10));
      }
      assertThat(m.node.transfers().history(b2)).extracting(HistoryRow::status).containsExactly("WAIT", "EXEC", "STOP");

      // an operator requeue brings it back
      DataTransfer requeued = m.node.operatorActions().transfer(Principal.admin("operator"), a,
          org.ecpds.master.domain.TransferAction.REQUEUE, null);
      assertThat(requeued.status()).isEqualTo("WAIT");
      Instruction again = mover.next();
      assertThat(transferOf(again)).isEqualTo(a);
      mover.ok(again);
      awaitStatus(m, a, "DONE");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void failsOverToNextHostByPriority(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("F", settings(1, 2, 60_000));
      host(m, "backup", "F", 5);
      host(m, "primary", "F", 1);
      long t = push(m, mover, "F", "x.bin", 50);
      Instruction i1 = mover.next();
      assertThat(i1.getDisseminate().getHost().getName()).isEqualTo("primary");
      mover.fail(i1, ErrorKind.NETWORK, "Connection refused");
      Instruction i2 = mover.next();
      assertThat(transferOf(i2)).isEqualTo(t);
      assertThat(i2.getDisseminate().getHost().getName()).isEqualTo("backup");
      mover.ok(i2);
      awaitStatus(m, t, "DONE");
      assertThat(m.node.transfers().get(t).hostId()).isEqualTo(m.node.hosts().get("backup").id());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void lostMoverInterruptsAndRequeues(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db)) {
      m.node.destinations().create("I", settings(1, 2, 60_000));
      host(m, "h1", "I", 0);
      long t;
      ScriptedMover first = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10);
      t = push(m, first, "I", "big.bin", 50);
      first.next();
      first.kill();
      awaitStatus(m, t, "WAIT");
      assertThat(m.node.transfers().history(t)).extracting(HistoryRow::status)
          .containsExactly("WAIT", "EXEC", "INTR", "WAIT");
      // the file lives on mover-a: nothing moves until it is back
      try (ScriptedMover back = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
        Instruction again = back.next();
        assertThat(transferOf(again)).isEqualTo(t);
        back.ok(again);
        awaitStatus(m, t, "DONE");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void expiredFilesAndAbandonedUploadsArePurged(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("P", settings(1, 1, 1000));
      DataFileService.Allocation shortLived = m.node.dataFiles().register(Principal.admin("admin"),
          new DataFileService.Registration("P", "/s/a", "a", 10, "1s", Map.of(), 10L, false));
      assertThat(mover.stored(shortLived.dataFileId(), 10).getOk()).isTrue();
      long transfer = m.node.transfers().ofDataFile(shortLived.dataFileId()).get(0).id();
      assertThat(m.node.transfers().get(transfer).status()).isEqualTo("HOLD");
      long kept = push(m, mover, "P", "kept.bin", 10);
      DataFileService.Allocation abandoned = m.node.dataFiles().register(Principal.admin("admin"),
          new DataFileService.Registration("P", "/s/b", "b", 10, "1d", Map.of(), 10L, false));
      m.node.database().jdbi().useHandle(h -> h.createUpdate("UPDATE data_file SET created_ms = created_ms - 7200000 WHERE id = :id")
          .bind("id", abandoned.dataFileId()).execute());
      Thread.sleep(1200);
      m.node.purgeNow();
      assertThatThrownBy(() -> m.node.transfers().get(transfer)).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> m.node.dataFiles().get(shortLived.dataFileId())).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> m.node.dataFiles().get(abandoned.dataFileId())).isInstanceOf(NotFoundException.class);
      assertThat(m.node.transfers().get(kept).status()).isEqualTo("HOLD");
      Instruction delete = mover.next();
      assertThat(delete.getDeleteDataFile().getDataFileId()).isEqualTo(shortLived.dataFileId());
    }
  }

  /** Records the OpenECPDS-style event lines (logger "ecpds.events") written from now on. */
  static void awaitStatus(MasterHarness m, long id, String status) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String s = m.node.transfers().get(id).status();
      if (s.equals(status)) return;
      seen.add(s);
      Thread.sleep(50);
    }
    throw new AssertionError("transfer " + id + " never reached " + status + "; last " + seen.get(seen.size() - 1));
  }
}
