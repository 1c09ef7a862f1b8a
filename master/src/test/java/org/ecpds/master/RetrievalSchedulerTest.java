package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.HistoryRow;
import org.ecpds.master.domain.TransferAction;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.RetrievalService;
import org.ecpds.master.service.RetrievalService.PresetRequest;
import org.ecpds.master.service.UserService.Principal;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.Instruction;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.ManualClock;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Data Retrieval Scheduler through the real master on H2 and MariaDB, with a scripted mover and
 * a manual clock: Preset registration, fetch, release to dissemination, backoff, groups, caps and a
 * lost mover.
 */
class RetrievalSchedulerTest {
  private static final Instant NINE = Instant.parse("2026-12-04T09:00:00Z");
  private static final Principal ADMIN = Principal.admin("admin");
  private static final Duration WAIT = Duration.ofSeconds(10);

  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  /** Without fetches queued on the mover behind running ones: each Retrieve sent is a running fetch. */
  private static MasterHarness master(TestDatabase db, ManualClock clock) throws Exception {
    return master(db, clock, 0);
  }

  private static MasterHarness master(TestDatabase db, ManualClock clock, int queuedPerConnection) throws Exception {
    return new MasterHarness(db, clock, c -> c.with("retrieval.maxAttempts", 2).with("retrieval.retryDelay", "1m")
        .with("retrieval.maxThreads", 3).with("retrieval.queuedPerConnection", queuedPerConnection));
  }

  /** Destination D with a dissemination host, and a source host S (at most {@code sourceConnections} fetches). */
  private static void setUp(MasterHarness m, int sourceConnections) {
    m.node.destinations().create("D", new DestinationService.Settings(null, true, 5, 0, 60_000L, 3, null, null, null,
        null, null, 0L, null, null, ""));
    m.node.hosts().create("out", new HostService.Spec("dissemination", "sftp", "127.0.0.1", 22, "u", "p", "out",
        Map.of(), true));
    m.node.destinations().associate("D", "out", 0);
    m.node.hosts().create("S", new HostService.Spec("source", "sftp", "127.0.0.1", 22, "u", "p", "", Map.of(
        "retrieval.minimumRate", "1000", "retrieval.maximumDuration", "25m"), true, sourceConnections));
  }

  private static long register(MasterHarness m, String path, String group) {
    return m.node.retrievalService().register(ADMIN, new PresetRequest("D", "S:" + path, null, Map.of("k", "v"), 10,
        "1d", null, null, false, null, null, group, null, null, null)).dataFileId();
  }

  private static DataTransfer transfer(MasterHarness m, long fileId) {
    return m.node.transfers().ofDataFile(fileId).get(0);
  }

  private static void awaitStatus(MasterHarness m, long fileId, String status) throws Exception {
    Conditions.await("transfer of file " + fileId + " " + status, WAIT, () -> transfer(m, fileId).status().equals(status));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aPresetFileIsFetchedThenQueuedAndDisseminated(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock); EventLines events = new EventLines();
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      long id = register(m, "/data/a.bin", null);
      Instruction fetch = mover.next();
      assertThat(fetch.getCorrelationId()).startsWith("fetch-");
      assertThat(fetch.getRetrieve().getDataFileId()).isEqualTo(id);
      assertThat(fetch.getRetrieve().getSourcePath()).isEqualTo("/data/a.bin");
      assertThat(fetch.getRetrieve().getHost().getName()).isEqualTo("S");
      assertThat(fetch.getRetrieve().getHost().getPassword()).isEqualTo("p");
      assertThat(fetch.getRetrieve().getMinimumRateBytesPerSecond()).isEqualTo(1000);
      assertThat(fetch.getRetrieve().getMaximumDurationMillis()).isEqualTo(Duration.ofMinutes(25).toMillis());
      assertThat(transfer(m, id).status()).isEqualTo("FETC");

      mover.fetched(fetch, 1234, "ab".repeat(32));
      Instruction send = mover.next(); // dissemination follows the fetch
      assertThat(send.hasDisseminate()).isTrue();
      assertThat(send.getDisseminate().getDataFileId()).isEqualTo(id);
      assertThat(send.getDisseminate().getSize()).isEqualTo(1234);
      DataFile f = m.node.dataFiles().get(id);
      assertThat(f.arrived()).isTrue();
      assertThat(f.sha256()).isEqualTo("ab".repeat(32));
      assertThat(f.volume()).isEqualTo("v0");
      assertThat(f.moverId()).isNotNull();
      List<HistoryRow> history = m.node.transfers().history(transfer(m, id).id());
      assertThat(history).extracting(HistoryRow::status).startsWith("INIT", "SCHE", "FETC", "WAIT", "EXEC");
      assertThat(events.await(l -> l.startsWith("RET;") && l.contains("DataFileId=" + id), WAIT))
          .contains("Status=true", "DestinationName=D", "Target=a.bin", "HostName=S", "MoverName=mover-a");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aSourceHostChangedByAnOperatorIsReadAgainForTheNextFetch(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      register(m, "/data/1.bin", null);
      Instruction first = mover.next();
      assertThat(first.getRetrieve().getHost().getPassword()).isEqualTo("p");
      mover.fetched(first, 10, "ab".repeat(32));
      assertThat(mover.next().hasDisseminate()).isTrue();
      // the scheduler keeps the host it read (and its decrypted spec) between passes: a write must reach it
      m.node.hosts().update("S", new HostService.Spec(null, null, "127.0.0.2", null, null, "q", null, null, null));
      register(m, "/data/2.bin", null);
      Instruction second = mover.next();
      assertThat(second.getRetrieve().getHost().getPassword()).isEqualTo("q");
      assertThat(second.getRetrieve().getHost().getAddress()).isEqualTo("127.0.0.2");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aFailedFetchIsRetriedAfterItsDelayThenFails(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock); EventLines events = new EventLines();
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      long id = register(m, "/data/b.bin", "G1");
      mover.fail(mover.next(), ErrorKind.NETWORK, "connection reset");
      awaitStatus(m, id, "SCHE");
      assertThat(transfer(m, id).message()).startsWith("NETWORK: connection reset; attempt 2 after 60000 ms");
      clock.advance(Duration.ofSeconds(59));
      m.node.retrievals().tick();
      assertThat(mover.poll(200)).as("not before the retry delay").isNull();
      clock.advance(Duration.ofSeconds(1));
      m.node.retrievals().tick();
      Instruction again = mover.next();
      assertThat(again.getRetrieve().getDataFileId()).isEqualTo(id);
      mover.fail(again, ErrorKind.NOT_FOUND, "no such file");
      awaitStatus(m, id, "FAIL");
      RetrievalService.GroupStatus g = m.node.retrievalService().group(ADMIN, "G1");
      assertThat(g.failed()).isTrue();
      assertThat(g.complete()).isFalse();
      assertThat(events.await(l -> l.startsWith("RET;") && l.contains("ErrorKind=NOT_FOUND"), WAIT))
          .contains("Status=false", "Attempt=2");

      // the operator requeues it: no content yet, so back to Preset (not Queued), fetched again from attempt 1
      DataTransfer requeued = m.node.operatorActions().transfer(ADMIN, transfer(m, id).id(), TransferAction.REQUEUE, null);
      assertThat(requeued.status()).isEqualTo("SCHE");
      Instruction third = mover.next();
      assertThat(third.getRetrieve().getDataFileId()).isEqualTo(id);
      mover.fetched(third, 10, "cd".repeat(32));
      assertThat(mover.next().getDisseminate().getDataFileId()).as("then disseminated").isEqualTo(id);
      assertThat(m.node.retrievalService().group(ADMIN, "G1").complete()).isTrue();
      assertThat(m.node.transfers().history(transfer(m, id).id())).extracting(HistoryRow::status)
          .containsSubsequence("FETC", "FAIL", "SCHE", "FETC", "WAIT");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aFileBeingFetchedOrWithoutASourceCannotBeRequeued(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      long id = register(m, "/data/c.bin", null);
      Instruction fetch = mover.next();
      long tid = transfer(m, id).id();
      m.node.operatorActions().transfer(ADMIN, tid, TransferAction.STOP, null);
      assertThatThrownBy(() -> m.node.operatorActions().transfer(ADMIN, tid, TransferAction.REQUEUE, null))
          .isInstanceOf(ConflictException.class).hasMessageContaining("being fetched");
      mover.fetched(fetch, 10, "ef".repeat(32));
      Conditions.await("fetched", WAIT, () -> m.node.dataFiles().get(id).arrived());
      // fetched while stopped: the content is stored, so a requeue now queues it for dissemination
      assertThat(m.node.operatorActions().transfer(ADMIN, tid, TransferAction.REQUEUE, null).status()).isEqualTo("WAIT");
    }
  }

  /** Results that arrive together (one drain) and complete a group release every member, as results one by one do. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aGroupWhoseLastResultsArriveTogetherIsReleased(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      List<Long> files = new java.util.ArrayList<>();
      for (int i = 0; i < 7; i++) files.add(register(m, "/h/" + i, "H"));
      java.util.Set<Long> sent = new java.util.HashSet<>();
      for (int answered = 0; answered < 7; ) {
        List<Instruction> batch = new java.util.ArrayList<>(List.of(mover.next()));
        for (Instruction in; batch.size() < 3 && (in = mover.poll(200)) != null; ) batch.add(in);
        for (Instruction in : batch) mover.fetched(in, 1, "s" + in.getRetrieve().getDataFileId()); // back to back
        answered += batch.size();
      }
      for (int i = 0; i < 7; i++) {
        Instruction in = mover.next();
        sent.add(in.getDisseminate().getDataFileId());
        mover.ok(in); // the destination's connections are few: each makes room for the next
      }
      assertThat(sent).containsExactlyInAnyOrderElementsOf(files);
    }
  }

  /**
   * A long poll on a group (ecpds -waitfor) is answered when the scheduler records the group's last
   * fetch: the wait is 30 s and the re-read without news 10 minutes, so only the scheduler's word can
   * answer it in time. A wait that ends first is answered with the state as it stands.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aWaitingGroupRequestIsAnsweredWhenItsLastFetchIsRecorded(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = new MasterHarness(db, clock, c -> c.with("retrieval.maxThreads", 3)
        .with("retrieval.queuedPerConnection", 0).with("retrieval.waitRecheck", "10m"));
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      register(m, "/w/a", "L");
      register(m, "/w/b", "L");
      Instruction first = mover.next();
      Instruction second = mover.next();
      MasterHarness.Reply early = m.call("GET", "datafile/group/L?wait=300ms", null);
      assertThat(early.code()).isEqualTo(200);
      assertThat(early.body().path("complete").asBoolean()).isFalse();
      assertThat(early.body().path("fetch").path("FETC").asLong()).isEqualTo(2);

      java.util.concurrent.CompletableFuture<MasterHarness.Reply> waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return m.call("GET", "datafile/group/L?wait=30s", null);
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      Conditions.await("the request waits", WAIT, () -> m.node.groupWaits().waiting() == 1);
      mover.fetched(first, 1, "a".repeat(64));
      mover.fetched(second, 1, "b".repeat(64));
      MasterHarness.Reply done = waiting.get(15, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(done.code()).isEqualTo(200);
      assertThat(done.body().path("complete").asBoolean()).isTrue();
      assertThat(done.body().path("fetch").path("DONE").asLong()).isEqualTo(2);
      assertThat(m.node.groupWaits().waiting()).isZero();

      assertThat(m.call("GET", "datafile/group/L?wait=2m", null).code()).isEqualTo(400);
      assertThat(m.call("GET", "datafile/group/L?wait=soon", null).code()).isEqualTo(400);
    }
  }

  /** A master that stops answers its long polls (503) instead of leaving them to the client's timeout. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aWaitingGroupRequestIsAnswered503WhenTheMasterStops(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    MasterHarness m = master(db, clock);
    java.util.concurrent.CompletableFuture<MasterHarness.Reply> waiting;
    try {
      setUp(m, 0);
      register(m, "/w/stop", "STOP");
      waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return m.call("GET", "datafile/group/STOP?wait=60s", null);
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      Conditions.await("the request waits", WAIT, () -> m.node.groupWaits().waiting() == 1);
    } finally {
      m.close();
    }
    MasterHarness.Reply r = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.code()).isEqualTo(503);
    assertThat(r.body().path("message").asText()).contains("stopping");
  }

  /**
   * A long poll that arrives while the master stops (its waits closed, the REST server still up) gets the
   * same 503; it got a 500 when the closed executor refused its timer (and once cut the 503 off).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aGroupWaitAskedOnceTheWaitsAreClosedIsAnswered503(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock)) {
      setUp(m, 0);
      register(m, "/w/late", "LATE");
      m.node.groupWaits().close();
      MasterHarness.Reply r = m.call("GET", "datafile/group/LATE?wait=60s", null);
      assertThat(r.code()).isEqualTo(503);
      assertThat(r.body().path("message").asText()).contains("stopping");
      assertThat(m.call("GET", "datafile/group/LATE", null).code()).isEqualTo(200); // no wait: answered as it stands
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aGroupIsReleasedOnlyOnceEveryMemberIsFetched(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      long a = register(m, "/g/a", "G");
      long b = register(m, "/g/b", "G");
      long c = register(m, "/g/c", "G");
      Map<Long, Instruction> fetches = new java.util.HashMap<>();
      for (int i = 0; i < 3; i++) {
        Instruction in = mover.next();
        fetches.put(in.getRetrieve().getDataFileId(), in);
      }
      assertThat(fetches).containsOnlyKeys(a, b, c); // maxThreads 3: all three at once
      mover.fetched(fetches.get(a), 1, "aa");
      mover.fetched(fetches.get(b), 2, "bb");
      Conditions.await("a and b fetched", WAIT, () -> m.node.dataFiles().get(b).arrived()
          && m.node.dataFiles().get(a).arrived());
      assertThat(mover.poll(300)).as("nothing is sent before the group is complete").isNull();
      assertThat(transfer(m, a).status()).isEqualTo("FETC");
      RetrievalService.GroupStatus g = m.node.retrievalService().group(ADMIN, "G");
      assertThat(g.complete()).isFalse();
      assertThat(g.fetch()).containsEntry("DONE", 2L).containsEntry("FETC", 1L);

      mover.fetched(fetches.get(c), 3, "cc");
      java.util.Set<Long> sent = new java.util.HashSet<>();
      for (int i = 0; i < 3; i++) sent.add(mover.next().getDisseminate().getDataFileId());
      assertThat(sent).containsExactlyInAnyOrder(a, b, c);
      g = m.node.retrievalService().group(ADMIN, "G");
      assertThat(g.complete()).isTrue();
      assertThat(g.files()).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aFetchQueuedBehindARunningOneTakesItsSlotWhenItEnds(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock, 1);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 1);
      long a = register(m, "/q/a", null);
      long b = register(m, "/q/b", null);
      long c = register(m, "/q/c", null);
      Instruction first = mover.next();
      Instruction queued = mover.next();
      assertThat(first.getRetrieve().getDataFileId()).isEqualTo(a);
      assertThat(queued.getRetrieve().getDataFileId()).isEqualTo(b);
      // host maxConnections 1: one slot on this mover, so the second waits there for the first to end
      assertThat(first.getRetrieve().getHostSlots()).isEqualTo(1);
      assertThat(queued.getRetrieve().getHostSlots()).isEqualTo(1);
      assertThat(mover.poll(300)).as("one queued behind each running fetch").isNull();
      assertThat(m.node.retrievals().running()).isEqualTo(1);
      assertThat(m.node.transfers().history(transfer(m, b).id())).extracting(HistoryRow::comment)
          .anyMatch(x -> x.startsWith("queued on mover mover-a"));

      mover.fetched(first, 5, "aa");
      List<Instruction> next = List.of(mover.next(), mover.next());
      assertThat(next).filteredOn(Instruction::hasDisseminate).singleElement()
          .satisfies(i -> assertThat(i.getDisseminate().getDataFileId()).isEqualTo(a));
      assertThat(next).filteredOn(Instruction::hasRetrieve).as("queued behind b, which took a's slot").singleElement()
          .satisfies(i -> assertThat(i.getRetrieve().getDataFileId()).isEqualTo(c));
      assertThat(m.node.retrievals().running()).isEqualTo(1);

      mover.fetched(queued, 5, "bb");
      assertThat(mover.next().getDisseminate().getDataFileId()).isEqualTo(b);
      mover.fetched(next.stream().filter(Instruction::hasRetrieve).findFirst().orElseThrow(), 5, "cc");
      assertThat(mover.next().getDisseminate().getDataFileId()).isEqualTo(c);
      Conditions.await("no fetch left", WAIT, () -> m.node.retrievals().running() == 0);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void fetchesAreCappedPerSourceHostAndALostMoversFetchGoesBackToPreset(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock)) {
      setUp(m, 1);
      long a = register(m, "/c/a", null);
      long b = register(m, "/c/b", null);
      ScriptedMover first = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10);
      Instruction in = first.next();
      assertThat(first.poll(300)).as("host maxConnections 1").isNull();
      long fetching = in.getRetrieve().getDataFileId();
      first.kill();
      awaitStatus(m, fetching, "SCHE");
      try (ScriptedMover second = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-b", 10)) {
        Instruction again = second.next();
        assertThat(again.getRetrieve().getDataFileId()).isEqualTo(fetching);
        second.fetched(again, 5, "ee");
        // the fetched file's Disseminate and the next Retrieve come from two schedulers: in either order
        List<Instruction> next = List.of(second.next(), second.next());
        assertThat(next).filteredOn(Instruction::hasRetrieve).as("the host's slot is free again").singleElement()
            .satisfies(i -> assertThat(i.getRetrieve().getDataFileId()).isEqualTo(fetching == a ? b : a));
        assertThat(next).filteredOn(Instruction::hasDisseminate).singleElement()
            .satisfies(i -> assertThat(i.getDisseminate().getDataFileId()).isEqualTo(fetching));
        assertThat(m.node.transfers().history(transfer(m, fetching).id())).extracting(HistoryRow::comment)
            .anyMatch(c -> c.contains("data mover lost"));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void noRetrievalKeepsMetadataOnlyAndDuplicatesNeedForce(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      long id = m.node.retrievalService().register(ADMIN, new PresetRequest("D", "S:/n/x", null, null, null, null,
          null, null, null, null, null, "N", true, null, null)).dataFileId();
      assertThat(transfer(m, id).status()).isEqualTo("SCHE");
      assertThat(mover.poll(300)).isNull();
      RetrievalService.Registered dup = m.node.retrievalService().register(ADMIN, new PresetRequest("D", "S:/n/x", null,
          null, null, null, null, null, null, null, null, "N", true, null, null));
      assertThat(dup.duplicate()).isTrue();
      assertThat(dup.dataFileId()).isEqualTo(id);
      assertThat(m.node.retrievalService().register(ADMIN, new PresetRequest("D", "S:/n/x", null, null, null, null,
          null, null, null, null, true, "N", true, null, null)).dataFileId()).isNotEqualTo(id);
      assertThatThrownBy(() -> m.node.retrievalService().register(ADMIN, new PresetRequest("D", "S:/n/y", null, null,
          null, null, null, null, null, null, null, null, true, null, null))).hasMessageContaining("noretrieval");
      assertThatThrownBy(() -> m.node.retrievalService().register(ADMIN, new PresetRequest("D", "/n/y", null, null,
          null, null, null, null, null, null, null, null, null, null, null))).hasMessageContaining("source");
      assertThatThrownBy(() -> m.node.retrievalService().register(ADMIN, new PresetRequest("D", "out:/n/y", null, null,
          null, null, null, null, null, null, null, null, null, null, null))).hasMessageContaining("type source");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aBatchRegistersEachSourceOnceWithBothHistoryRowsOfEveryTransfer(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    try (MasterHarness m = master(db, clock);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      PresetRequest a = new PresetRequest("D", "S:/b/a", null, null, null, null, null, null, null, null, null, "B",
          true, null, null);
      PresetRequest b = new PresetRequest("D", "S:/b/b", null, null, null, null, null, null, null, null, null, "B",
          true, null, null);
      // the same source twice in one call: the second is the first's duplicate, as it is across calls
      List<RetrievalService.Registered> r = m.node.retrievalService().registerAll(ADMIN, List.of(a, b, a));
      assertThat(r).extracting(RetrievalService.Registered::duplicate).containsExactly(false, false, true);
      assertThat(r.get(2).dataFileId()).isEqualTo(r.get(0).dataFileId());
      for (int i = 0; i < 2; i++) {
        assertThat(m.node.transfers().ofDataFile(r.get(i).dataFileId())).hasSize(1);
        DataTransfer t = transfer(m, r.get(i).dataFileId());
        assertThat(t.status()).isEqualTo("SCHE");
        assertThat(m.node.transfers().history(t.id())).extracting(HistoryRow::status).containsExactly("INIT", "SCHE");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aFetchRunningWhenTheMasterStopsIsPresetAgainAfterItsRestart(TestDatabase db) throws Exception {
    ManualClock clock = new ManualClock(NINE);
    long id;
    // the same master key across the restart, or the hosts' passwords could not be read
    java.nio.file.Path key = java.nio.file.Files.createTempDirectory("ecpds-key").resolve("master.key");
    try (MasterHarness m = new MasterHarness(db, clock, c -> c.with("master.keyFile", key));
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      setUp(m, 0);
      id = register(m, "/r/a", null);
      mover.next();
      assertThat(transfer(m, id).status()).isEqualTo("FETC");
    }
    try (MasterHarness m = new MasterHarness(db, clock, c -> c.with("master.keyFile", key))) {
      // checked before a mover connects: once one does, the file is sent to it again (FETC)
      assertThat(transfer(m, id).status()).isEqualTo("SCHE");
      assertThat(m.node.transfers().history(transfer(m, id).id())).extracting(HistoryRow::comment)
          .contains("master restarted during the fetch");
      try (ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
        Instruction again = mover.next();
        assertThat(again.getRetrieve().getDataFileId()).isEqualTo(id);
        mover.fetched(again, 7, "ff");
        assertThat(mover.next().getDisseminate().getDataFileId()).isEqualTo(id);
      }
    }
  }
}
