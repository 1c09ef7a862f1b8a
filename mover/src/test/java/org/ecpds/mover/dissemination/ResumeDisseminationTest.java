package org.ecpds.mover.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.mover.transfer.local.LocalModuleFactory;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disseminate.resume through the executor, on the local module's real file system. */
class ResumeDisseminationTest {
  private static final int SIZE = 1_000_000;
  private static final int HALF = 400_000;

  @TempDir Path store;
  @TempDir Path remote;
  final BlockingQueue<InstructionResult> results = new LinkedBlockingQueue<>();
  final byte[] content = new byte[SIZE];
  DisseminationExecutor executor;

  @BeforeEach
  void setUp() throws Exception {
    new Random(7).nextBytes(content);
    DataStore ds = DataStore.open(List.of(store));
    ds.store(7, new ByteArrayInputStream(content), SIZE);
    executor = new DisseminationExecutor(ds, new TransferModules().register(new LocalModuleFactory()), new ResultSink() {
      @Override
      public void sendResult(InstructionResult r) {
        results.add(r);
      }

      @Override
      public void sendProgress(Progress p) {}
    }, 1, Duration.ofMillis(50));
  }

  @AfterEach
  void tearDown() {
    executor.close();
  }

  private InstructionResult disseminate(String id, boolean resume) throws InterruptedException {
    executor.onInstruction(Instruction.newBuilder().setCorrelationId(id).setDisseminate(Disseminate.newBuilder()
        .setDataFileId(7).setSize(SIZE).setTargetPath("out/r.bin").setResume(resume)
        .setHost(HostSpec.newBuilder().setName("disk").setTransferMethod("local").setAddress(remote.toString())))
        .build());
    InstructionResult r = results.poll(20, TimeUnit.SECONDS);
    assertThat(r).as("a result").isNotNull();
    return r;
  }

  private Path partial(byte[] bytes) throws Exception {
    Path tmp = Files.createDirectories(remote.resolve("out")).resolve(".r.bin.ecpds-tmp");
    Files.write(tmp, bytes);
    return tmp;
  }

  @Test
  void resumeContinuesThePartialCopy() throws Exception {
    Path tmp = partial(Arrays.copyOf(content, HALF));
    InstructionResult r = disseminate("resume", true);
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getResumedFrom()).isEqualTo(HALF);
    assertThat(r.getBytes()).isEqualTo(SIZE - HALF);
    assertThat(Files.readAllBytes(remote.resolve("out/r.bin"))).isEqualTo(content);
    assertThat(tmp).doesNotExist();
  }

  @Test
  void withoutResumeThePartialIsOverwritten() throws Exception {
    partial(new byte[HALF]); // zeros: had it been kept, the result would differ
    InstructionResult r = disseminate("overwrite", false);
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getResumedFrom()).isZero();
    assertThat(r.getBytes()).isEqualTo(SIZE);
    assertThat(Files.readAllBytes(remote.resolve("out/r.bin"))).isEqualTo(content);
  }

  @Test
  void aPartialLongerThanTheFileIsWrittenAgainFromTheStart() throws Exception {
    partial(new byte[SIZE + 10]);
    InstructionResult r = disseminate("too-long", true);
    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getResumedFrom()).isZero();
    assertThat(r.getBytes()).isEqualTo(SIZE);
    assertThat(Files.readAllBytes(remote.resolve("out/r.bin"))).isEqualTo(content);
  }
}
