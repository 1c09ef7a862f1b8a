package org.ecpds.mover.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.mover.transfer.sftp.SftpModuleFactory;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;
import org.ecpds.proto.Retrieve;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Retrieve instructions against a real OpenSSH sshd on loopback, into a real data store. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrievalExecutorTest {
  static OpenSshServer sshd;
  static TransferModules modules;
  static final Map<String, InstructionResult> results = new ConcurrentHashMap<>();
  /** Called with each result before it is recorded, on the thread that reports it. */
  static volatile java.util.function.Consumer<InstructionResult> beforeResult = r -> {};
  static final AtomicLong lastProgress = new AtomicLong();
  /** Sessions opened so far (each one an SSH connection and login). */
  static final java.util.concurrent.atomic.AtomicInteger sessionsCreated = new java.util.concurrent.atomic.AtomicInteger();
  @TempDir static Path dir;
  static DataStore store;
  static RetrievalExecutor executor;

  @BeforeAll
  static void start() throws Exception {
    sshd = OpenSshServer.start();
    SftpModuleFactory sftp = new SftpModuleFactory();
    modules = new TransferModules().register(new org.ecpds.mover.transfer.TransferModuleFactory() {
      @Override
      public java.util.Set<String> methods() {
        return sftp.methods();
      }

      @Override
      public org.ecpds.mover.transfer.TransferModule create() {
        sessionsCreated.incrementAndGet();
        return sftp.create();
      }

      @Override
      public void close() {
        sftp.close();
      }
    });
    store = DataStore.open(List.of(dir.resolve("vol")));
    ResultSink sink = new ResultSink() {
      @Override
      public void sendResult(InstructionResult r) {
        beforeResult.accept(r);
        results.put(r.getCorrelationId(), r);
      }

      @Override
      public void sendProgress(Progress p) {
        lastProgress.set(p.getBytes());
      }
    };
    executor = new RetrievalExecutor(store, modules, sink, 4, Duration.ofMillis(50), Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    if (executor != null) executor.close();
    if (modules != null) modules.close();
    if (sshd != null) sshd.close();
  }

  static HostSpec host() {
    return HostSpec.newBuilder().setName("source").setTransferMethod("sftp").setAddress("127.0.0.1")
        .setPort(sshd.port()).setLogin(sshd.user()).setPassword(sshd.password()).build();
  }

  static Retrieve.Builder fetch(long id, String path) {
    return Retrieve.newBuilder().setDataFileId(id).setHost(host()).setSourcePath(path).setExpectedSize(-1);
  }

  static InstructionResult run(String corr, Retrieve r) throws Exception {
    executor.retrieve(corr, r);
    return Conditions.awaitValue("result of " + corr, Duration.ofSeconds(60),
        () -> java.util.Optional.ofNullable(results.get(corr)));
  }

  static byte[] source(String name, int size) throws Exception {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    Path p = sshd.home().resolve(name);
    Files.createDirectories(p.getParent());
    // created by root: the test account must be able to delete in it (deleteOriginal)
    Files.setPosixFilePermissions(p.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.write(p, b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static List<Path> temps() throws Exception {
    try (Stream<Path> s = Files.list(dir.resolve("vol/.tmp"))) {
      return s.toList();
    }
  }

  @Test
  @Order(1)
  void aFetchIsStoredByteIdenticalWithItsSizeAndSha256() throws Exception {
    byte[] content = source("in/a.bin", 3 * 1024 * 1024 + 17);
    InstructionResult r = run("r1", fetch(1, "in/a.bin").setExpectedSize(content.length).build());
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getStoredSize()).isEqualTo(content.length);
    assertThat(r.getSha256()).isEqualTo(sha256(content));
    assertThat(r.getVolume()).isEqualTo(dir.resolve("vol").toAbsolutePath().normalize().toString());
    assertThat(Files.readAllBytes(store.locate(1).orElseThrow())).isEqualTo(content);
    assertThat(sshd.home().resolve("in/a.bin")).exists();
    assertThat(temps()).isEmpty();
  }

  @Test
  @Order(2)
  void aWrongExpectedSizeIsProtocolAndStoresNothing() throws Exception {
    byte[] content = source("in/b.bin", 1000);
    InstructionResult r = run("r2", fetch(2, "in/b.bin").setExpectedSize(content.length + 1).build());
    assertThat(r.getOk()).isFalse();
    assertThat(r.getErrorKind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(store.locate(2)).isEmpty();
    assertThat(temps()).isEmpty();
  }

  @Test
  @Order(3)
  void aMissingSourceIsNotFound() throws Exception {
    InstructionResult r = run("r3", fetch(3, "in/none.bin").build());
    assertThat(r.getErrorKind()).as(r.getMessage()).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(store.locate(3)).isEmpty();
  }

  @Test
  @Order(4)
  void deleteOriginalRemovesTheSourceOnceStored() throws Exception {
    byte[] content = source("in/c.bin", 5000);
    InstructionResult r = run("r4", fetch(4, "in/c.bin").setDeleteOriginal(true).build());
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getMessage()).endsWith("original deleted");
    assertThat(r.getSha256()).isEqualTo(sha256(content));
    assertThat(sshd.home().resolve("in/c.bin")).doesNotExist();
  }

  @Test
  @Order(5)
  void aRetriedFetchOfAHeldFileAnswersWithTheStoredFile() throws Exception {
    byte[] content = Files.readAllBytes(sshd.home().resolve("in/a.bin"));
    InstructionResult r = run("r5", fetch(1, "in/a.bin").build());
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getSha256()).isEqualTo(sha256(content));
    assertThat(r.getStoredSize()).isEqualTo(content.length);
  }

  @Test
  @Order(6)
  void breakingTheMinimumRateOrTheMaximumDurationIsATypedNetworkError() throws Exception {
    source("in/d.bin", 2 * 1024 * 1024);
    InstructionResult slow = run("r6", fetch(6, "in/d.bin").setMinimumRateBytesPerSecond(Long.MAX_VALUE / 2).build());
    assertThat(slow.getOk()).isFalse();
    assertThat(slow.getErrorKind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(slow.getMessage()).contains("minimum");
    InstructionResult longer = run("r7", fetch(7, "in/d.bin").setMaximumDurationMillis(1).build());
    assertThat(longer.getErrorKind()).isEqualTo(ErrorKind.NETWORK);
    assertThat(longer.getMessage()).contains("maximum duration");
    assertThat(store.locate(6)).isEmpty();
    assertThat(store.locate(7)).isEmpty();
    assertThat(temps()).isEmpty();
  }

  @Test
  @Order(50)
  void fetchesFromOneHostOneAfterTheOtherReuseTheirSession() throws Exception {
    List<byte[]> contents = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) contents.add(source("many/f" + i, 10_000 + i));
    run("m0", fetch(500, "many/f0").build()); // leaves one kept session, whatever ran before
    int before = sessionsCreated.get();
    for (int i = 1; i < 6; i++) {
      InstructionResult r = run("m" + i, fetch(500 + i, "many/f" + i).build());
      assertThat(r.getOk()).as(r.getMessage()).isTrue();
      assertThat(Files.readAllBytes(store.locate(500 + i).orElseThrow())).isEqualTo(contents.get(i));
    }
    assertThat(sessionsCreated.get() - before).as("new sessions for 5 fetches in a row").isZero();
  }

  /**
   * A master restarted while this mover fetched a file sends it again under another id: the second
   * Retrieve joins the running fetch (one fetch, the same result under both ids) instead of failing
   * because the file is being stored.
   */
  @Test
  @Order(60)
  void aRetrieveOfAFileBeingFetchedUnderAnotherIdJoinsThatFetch() throws Exception {
    Path big = sshd.home().resolve("in/joined.bin");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(256L << 20); // sparse, and long enough to fetch that the second Retrieve comes mid-way
    }
    lastProgress.set(0);
    executor.retrieve("old-60", fetch(60, "in/joined.bin").build());
    Conditions.await("the first fetch under way", Duration.ofSeconds(30), () -> lastProgress.get() > 0);
    InstructionResult second = run("new-60", fetch(60, "in/joined.bin").build());
    assertThat(second.getOk()).as(second.getMessage()).isTrue();
    InstructionResult first = results.get("old-60");
    assertThat(first).as("answered together").isNotNull();
    assertThat(second.toBuilder().setCorrelationId("old-60").build()).isEqualTo(first);
    assertThat(second.getStoredSize()).isEqualTo(256L << 20);
    assertThat(executor.runningCorrelationIds()).doesNotContain("old-60", "new-60");
    assertThat(temps()).isEmpty();
  }

  /**
   * The master queues a fetch behind a running one from the same host (host_slots): the mover holds
   * it until a fetch from that host ends, while fetches from other hosts start at once. The running
   * fetch opens a FIFO, so that it cannot end before the test writes to it.
   */
  @Test
  @Order(70)
  void aRetrieveBeyondItsHostSlotsWaitsForAFetchFromThatHostToEnd() throws Exception {
    Path fifo = sshd.home().resolve("in/slots.fifo");
    Files.createDirectories(fifo.getParent());
    Process mk = new ProcessBuilder("mkfifo", "-m", "666", fifo.toString()).inheritIO().start();
    assertThat(mk.waitFor()).as("mkfifo").isZero();
    byte[] waiting = source("in/slots-b.bin", 5_000);
    byte[] other = source("in/slots-c.bin", 6_000);
    HostSpec h7 = host().toBuilder().setHostId(7).build();
    HostSpec h8 = host().toBuilder().setHostId(8).build();
    executor.retrieve("slot-a", fetch(71, "in/slots.fifo").setHost(h7).setHostSlots(1).build());
    executor.retrieve("slot-b", fetch(72, "in/slots-b.bin").setHost(h7).setHostSlots(1).build());
    InstructionResult c = run("slot-c", fetch(73, "in/slots-c.bin").setHost(h8).setHostSlots(1).build());
    assertThat(c.getOk()).as("another host's fetch is not held: " + c.getMessage()).isTrue();
    assertThat(Files.readAllBytes(store.locate(73).orElseThrow())).isEqualTo(other);
    assertThat(results).doesNotContainKeys("slot-a", "slot-b");
    assertThat(executor.runningCount()).as("slot-a runs, slot-b waits for its slot").isEqualTo(1);
    assertThat(executor.runningCorrelationIds()).contains("slot-a", "slot-b");

    Files.write(fifo, new byte[4_000]); // slot-a's open returns
    InstructionResult b = Conditions.awaitValue("result of slot-b", Duration.ofSeconds(60),
        () -> java.util.Optional.ofNullable(results.get("slot-b")));
    assertThat(b.getOk()).as(b.getMessage()).isTrue();
    assertThat(Files.readAllBytes(store.locate(72).orElseThrow())).isEqualTo(waiting);
    // sftp-server reads at offsets, which a FIFO refuses once it is open: slot-a ends failed, which is
    // all this needs (it held its slot until then)
    assertThat(results.get("slot-a")).as("slot-a ended before slot-b started").isNotNull();
  }

  /**
   * A small file read whole gives its host slot to the next fetch before it is stored and reported:
   * here the first fetch's report is held until the second, which waited for the only slot, has
   * reported. Before, the slot went on only after the report, and the two waited for each other.
   */
  @Test
  @Order(80)
  void aSmallFileReadWholeGivesItsSlotToTheNextFetchBeforeItIsStored() throws Exception {
    byte[] a = source("in/free-a.bin", 7_000);
    byte[] b = source("in/free-b.bin", 8_000);
    HostSpec h9 = host().toBuilder().setHostId(9).build();
    beforeResult = r -> {
      if (r.getCorrelationId().equals("free-a")) {
        try {
          Conditions.await("free-b reported while free-a is held", Duration.ofSeconds(20), () -> results.containsKey("free-b"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
    try {
      executor.retrieve("free-a", fetch(91, "in/free-a.bin").setHost(h9).setHostSlots(1).build());
      executor.retrieve("free-b", fetch(92, "in/free-b.bin").setHost(h9).setHostSlots(1).build());
      InstructionResult ra = Conditions.awaitValue("result of free-a", Duration.ofSeconds(60),
          () -> java.util.Optional.ofNullable(results.get("free-a")));
      assertThat(ra.getOk()).as(ra.getMessage()).isTrue();
      assertThat(results.get("free-b").getOk()).as(results.get("free-b").getMessage()).isTrue();
      assertThat(Files.readAllBytes(store.locate(91).orElseThrow())).isEqualTo(a);
      assertThat(Files.readAllBytes(store.locate(92).orElseThrow())).isEqualTo(b);
    } finally {
      beforeResult = r -> {};
    }
  }

  @Test
  @Order(99)
  void aSourceThatDiesMidFetchIsNetworkAndLeavesNothingVisible() throws Exception {
    Path big = sshd.home().resolve("in/big.bin");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(4L << 30); // sparse: costs no disk on the source side
    }
    lastProgress.set(0);
    executor.retrieve("r99", fetch(99, "in/big.bin").build());
    Conditions.await("the fetch is under way", Duration.ofSeconds(30), () -> lastProgress.get() > 1_000_000);
    sshd.stop();
    InstructionResult r = Conditions.awaitValue("result of r99", Duration.ofSeconds(60),
        () -> java.util.Optional.ofNullable(results.get("r99")));
    assertThat(r.getOk()).isFalse();
    assertThat(r.getErrorKind()).as(r.getMessage()).isEqualTo(ErrorKind.NETWORK);
    assertThat(store.locate(99)).isEmpty();
    assertThat(temps()).isEmpty();
  }
}
