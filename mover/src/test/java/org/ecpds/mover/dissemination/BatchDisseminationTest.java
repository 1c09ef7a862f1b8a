package org.ecpds.mover.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.PutResult;
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
 * Instructions beyond the host's connection cap wait in the mover and go as one batch on a free
 * session; each member gets its own result, and a cancel hits only its own transfer.
 */
class BatchDisseminationTest {
  @TempDir Path dir;
  final BlockingQueue<InstructionResult> results = new LinkedBlockingQueue<>();
  final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  final List<String> written = new CopyOnWriteArrayList<>();
  final Semaphore stalled = new Semaphore(0);
  DisseminationExecutor executor;

  @BeforeEach
  void setUp() throws Exception {
    DataStore store = DataStore.open(List.of(dir));
    store.store(1, new ByteArrayInputStream(new byte[64]), 64);
    ResultSink sink = new ResultSink() {
      @Override
      public void sendResult(InstructionResult r) {
        results.add(r);
      }

      @Override
      public void sendProgress(Progress p) {}
    };
    // room for 4 sessions in the mover, but the host allows 1
    executor = new DisseminationExecutor(store, new TransferModules().register(new RecordingFactory()), sink, 4,
        Duration.ofSeconds(1), 32);
  }

  @AfterEach
  void tearDown() {
    executor.close();
  }

  static Instruction disseminate(String id, String target) {
    return Instruction.newBuilder().setCorrelationId(id).setDisseminate(Disseminate.newBuilder().setDataFileId(1)
        .setSize(64).setHost(HostSpec.newBuilder().setTransferMethod("rec").setName("h")).setTargetPath(target)
        .setHostMaxConnections(1)).build();
  }

  static Instruction cancel(String id, String target) {
    return Instruction.newBuilder().setCorrelationId(id).setCancel(Cancel.newBuilder().setCorrelationIdToCancel(target))
        .build();
  }

  /** The next {@code n} results by correlation id (10 s at most). */
  Map<String, InstructionResult> next(int n) throws InterruptedException {
    Map<String, InstructionResult> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      InstructionResult r = results.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("result " + (i + 1) + " of " + n + " within 10 s").isNotNull();
      out.put(r.getCorrelationId(), r);
    }
    return out;
  }

  @Test
  void waitingTransfersGoAsOneBatchAndACancelledMemberFailsAlone() throws Exception {
    executor.onInstruction(disseminate("blocker", "stall-1"));
    assertThat(stalled.tryAcquire(10, TimeUnit.SECONDS)).as("the first transfer holds the host's only session").isTrue();
    executor.onInstruction(disseminate("x", "x"));
    executor.onInstruction(disseminate("s", "stall-2"));
    executor.onInstruction(disseminate("y", "y"));
    executor.onInstruction(disseminate("w", "w"));
    executor.onInstruction(cancel("c-w", "w")); // still waiting: answered at once, never sent
    Map<String, InstructionResult> r = next(2);
    assertThat(r.get("w").getErrorKind()).isEqualTo(ErrorKind.CANCELLED);
    assertThat(r.get("c-w").getOk()).isTrue();

    executor.onInstruction(cancel("c-blocker", "blocker"));
    assertThat(stalled.tryAcquire(10, TimeUnit.SECONDS)).as("the batch reached stall-2").isTrue();
    executor.onInstruction(cancel("c-s", "s"));
    r = next(6);
    assertThat(r.get("blocker").getErrorKind()).isEqualTo(ErrorKind.CANCELLED);
    assertThat(r.get("s").getErrorKind()).isEqualTo(ErrorKind.CANCELLED);
    assertThat(r.get("x").getOk()).as(r.get("x").getMessage()).isTrue();
    assertThat(r.get("y").getOk()).as("closed under it by s's cancel, sent again: " + r.get("y").getMessage()).isTrue();
    assertThat(r.get("x").getBytes()).isEqualTo(64);
    assertThat(written).containsExactly("x", "y");
    assertThat(batchSizes).as("the three waiting ones went together; y again alone").containsExactly(1, 3, 1);
    executor.close();
    assertThat(results).as("exactly one result per instruction").isEmpty();
  }

  /** Writes instantly, except a target named stall-* hangs until its session is closed. */
  final class RecordingFactory implements TransferModuleFactory {
    @Override
    public Set<String> methods() {
      return Set.of("rec");
    }

    @Override
    public TransferModule create() {
      return new PutOnlyModule() {
        final Semaphore closed = new Semaphore(0);

        @Override
        public List<PutResult> putAll(List<? extends BatchPut> puts) {
          batchSizes.add(puts.size());
          return super.putAll(puts);
        }

        @Override
        public long put(InputStream in, long size, String target, ProgressListener p) throws TransferException {
          try {
            long n = in.readAllBytes().length;
            if (target.startsWith("stall")) {
              stalled.release();
              closed.acquire();
              throw new TransferException(ErrorKind.NETWORK, "session closed");
            }
            written.add(target);
            return n;
          } catch (TransferException e) {
            throw e;
          } catch (Exception e) {
            throw new TransferException(ErrorKind.LOCAL, e.toString());
          }
        }

        @Override
        public void close() {
          closed.release(1000);
        }
      };
    }
  }
}
