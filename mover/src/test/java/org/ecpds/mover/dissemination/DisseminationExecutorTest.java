package org.ecpds.mover.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.TransferModuleFactory;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.proto.Cancel;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduling rules of the executor (bounded parallelism, cancel, one result per instruction). The
 * remote side is a "stall" protocol that reads a little and then blocks until its session is closed,
 * which is how a hung remote host behaves; real SFTP transfers are covered by MoverNodeTest.
 */
class DisseminationExecutorTest {
  @TempDir Path dir;
  final BlockingQueue<InstructionResult> results = new LinkedBlockingQueue<>();
  final BlockingQueue<Progress> progress = new LinkedBlockingQueue<>();
  final CountDownLatch firstStarted = new CountDownLatch(1);
  DisseminationExecutor executor;

  @BeforeEach
  void setUp() throws Exception {
    DataStore store = DataStore.open(List.of(dir));
    store.store(1, new ByteArrayInputStream(new byte[4096]), 4096);
    TransferModules modules = new TransferModules().register(new StallFactory());
    ResultSink sink = new ResultSink() {
      @Override
      public void sendResult(InstructionResult r) {
        results.add(r);
      }

      @Override
      public void sendProgress(Progress p) {
        progress.add(p);
      }
    };
    executor = new DisseminationExecutor(store, modules, sink, 1, Duration.ofMillis(50));
  }

  @AfterEach
  void tearDown() {
    executor.close();
  }

  static Instruction disseminate(String id, long dataFileId, String method) {
    return Instruction.newBuilder().setCorrelationId(id).setDisseminate(Disseminate.newBuilder().setDataFileId(dataFileId)
        .setHost(HostSpec.newBuilder().setTransferMethod(method)).setTargetPath("t")).build();
  }

  static Instruction cancel(String id, String target) {
    return Instruction.newBuilder().setCorrelationId(id).setCancel(Cancel.newBuilder().setCorrelationIdToCancel(target)).build();
  }

  InstructionResult next() throws InterruptedException {
    InstructionResult r = results.poll(10, TimeUnit.SECONDS);
    assertThat(r).as("a result within 10 s").isNotNull();
    return r;
  }

  /** The first progress report at {@code bytes} (the timer may report the start, at 0, before it), or null after 10 s. */
  Progress progressReaching(long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      Progress p = progress.poll(left, TimeUnit.NANOSECONDS);
      if (p == null || p.getBytes() >= bytes) return p;
    }
    return null;
  }

  @Test
  void cancelStopsARunningTransferAndAQueuedOne() throws Exception {
    executor.onInstruction(disseminate("run", 1, "stall"));
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
    executor.onInstruction(disseminate("queued", 1, "stall"));
    executor.onInstruction(disseminate("run", 1, "stall")); // duplicate after a reconnect: ignored
    assertThat(progressReaching(100)).isNotNull().satisfies(p -> {
      assertThat(p.getCorrelationId()).isEqualTo("run");
      assertThat(p.getBytes()).isEqualTo(100);
      assertThat(p.getTotal()).isEqualTo(4096);
    });
    assertThat(executor.runningCount()).isEqualTo(1);
    assertThat(executor.runningCorrelationIds()).containsExactlyInAnyOrder("run", "queued");

    executor.onInstruction(cancel("c-queued", "queued"));
    assertThat(List.of(next(), next())).anySatisfy(r -> {
      assertThat(r.getCorrelationId()).isEqualTo("queued");
      assertThat(r.getErrorKind()).isEqualTo(ErrorKind.CANCELLED);
    }).anySatisfy(r -> assertThat(r.getCorrelationId()).isEqualTo("c-queued"));

    executor.onInstruction(cancel("c-run", "run"));
    assertThat(List.of(next(), next())).anySatisfy(r -> {
      assertThat(r.getCorrelationId()).isEqualTo("run");
      assertThat(r.getOk()).isFalse();
      assertThat(r.getErrorKind()).isEqualTo(ErrorKind.CANCELLED);
    }).anySatisfy(r -> {
      assertThat(r.getCorrelationId()).isEqualTo("c-run");
      assertThat(r.getOk()).isTrue();
    });
    assertThat(executor.runningCorrelationIds()).isEmpty();
    executor.close(); // waits for the transfer threads: a late duplicate result would be in by now
    assertThat(results).as("exactly one result per instruction").isEmpty();
  }

  @Test
  void aNewAttemptOfARunningTransferCancelsTheEarlierOneFirst() throws Exception {
    executor.onInstruction(attempt("t7-1", 7));
    assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
    executor.onInstruction(attempt("t7-2", 7)); // the master gave up on t7-1 during a link cut
    InstructionResult earlier = next();
    assertThat(earlier.getCorrelationId()).isEqualTo("t7-1");
    assertThat(earlier.getErrorKind()).isEqualTo(ErrorKind.CANCELLED);
    assertThat(progressReaching(100)).isNotNull().satisfies(p -> assertThat(p.getCorrelationId()).isEqualTo("t7-2"));
    assertThat(executor.runningCorrelationIds()).containsExactly("t7-2");

    executor.onInstruction(attempt("t8-1", 8)); // another transfer waits in line, untouched
    assertThat(results.poll(200, TimeUnit.MILLISECONDS)).isNull();
    assertThat(executor.runningCorrelationIds()).containsExactlyInAnyOrder("t7-2", "t8-1");
    executor.onInstruction(cancel("c7", "t7-2"));
    executor.onInstruction(cancel("c8", "t8-1"));
    assertThat(List.of(next(), next(), next(), next())).extracting(InstructionResult::getCorrelationId)
        .containsExactlyInAnyOrder("t7-2", "c7", "t8-1", "c8");
  }

  static Instruction attempt(String id, long transferId) {
    return Instruction.newBuilder().setCorrelationId(id).setDisseminate(Disseminate.newBuilder().setTransferId(transferId)
        .setDataFileId(1).setHost(HostSpec.newBuilder().setTransferMethod("stall")).setTargetPath("t")).build();
  }

  @Test
  void unknownProtocolAndMissingFileAreReported() throws Exception {
    executor.onInstruction(disseminate("p", 1, "gopher"));
    InstructionResult p = next();
    assertThat(p.getErrorKind()).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(p.getMessage()).contains("gopher");

    executor.onInstruction(disseminate("m", 99, "stall"));
    InstructionResult m = next();
    assertThat(m.getErrorKind()).isEqualTo(ErrorKind.LOCAL);
    assertThat(m.getMessage()).contains("not held");

    executor.onInstruction(cancel("c", "nothing"));
    assertThat(next().getErrorKind()).isEqualTo(ErrorKind.NOT_FOUND);
  }

  /** Sends 100 bytes, then hangs until closed, like a remote host that stopped reading. */
  final class StallFactory implements TransferModuleFactory {
    @Override
    public Set<String> methods() {
      return Set.of("stall");
    }

    @Override
    public TransferModule create() {
      return new PutOnlyModule() {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public long put(InputStream in, long size, String target, ProgressListener p) throws TransferException {
          try {
            in.readNBytes(100);
            p.transferred(100);
            firstStarted.countDown();
            closed.await();
          } catch (Exception e) {
            throw new TransferException(ErrorKind.LOCAL, e.toString());
          }
          throw new TransferException(ErrorKind.NETWORK, "session closed");
        }

        @Override
        public void close() {
          closed.countDown();
        }
      };
    }
  }
}
