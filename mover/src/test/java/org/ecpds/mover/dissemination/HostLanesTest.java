package org.ecpds.mover.dissemination;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** The per-host line of the mover: session cap, batch shares, requeue, cancel while waiting. */
class HostLanesTest {
  /** Runs tasks only when the test says so, so that every step is observable. */
  private static final class StepExecutor implements Executor {
    final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }

    void runOne() {
      tasks.poll().run();
    }
  }

  private final StepExecutor executor = new StepExecutor();
  private final List<List<Integer>> batches = new ArrayList<>();

  private HostLanes<Integer> lanes(int maxBatch) {
    return new HostLanes<>(executor, maxBatch, (key, batch) -> batches.add(batch));
  }

  @Test
  void neverMoreWorkersThanTheHostsCapAndEachTakesItsShare() {
    HostLanes<Integer> l = lanes(32);
    for (int i = 0; i < 20; i++) l.submit("h", 2, i);
    assertThat(l.workers("h")).isEqualTo(2);
    assertThat(executor.tasks).hasSize(2);
    executor.runOne(); // 20 waiting, 2 workers about to take: 10 each
    assertThat(batches.get(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    executor.runOne(); // the first is done and back in line: 10 left for 2
    assertThat(batches.get(1)).containsExactly(10, 11, 12, 13, 14);
    while (!executor.tasks.isEmpty()) executor.runOne();
    assertThat(batches.stream().flatMap(List::stream)).as("each exactly once, in order").containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 20).boxed().toList());
    assertThat(l.workers("h")).isZero();
  }

  @Test
  void aWorkerRunningABatchLeavesTheWaitingToTheOthers() {
    List<Runnable> inside = new ArrayList<>();
    HostLanes<Integer>[] ref = new HostLanes[1];
    ref[0] = new HostLanes<>(executor, 32, (key, batch) -> {
      batches.add(batch);
      if (batch.contains(0)) {
        for (int i = 1; i <= 9; i++) ref[0].submit("h", 2, i); // arrive while the first batch runs
        executor.runOne(); // the second worker takes them all: the first is busy
      }
    });
    ref[0].submit("h", 2, 0);
    executor.runOne();
    assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
  }

  @Test
  void aBatchIsAtMostMaxBatchAndHostsAreSeparate() {
    HostLanes<Integer> l = lanes(4);
    for (int i = 0; i < 10; i++) l.submit("a", 1, i);
    l.submit("b", 1, 100);
    assertThat(l.workers("a")).isEqualTo(1);
    assertThat(l.workers("b")).isEqualTo(1);
    executor.runOne();
    assertThat(batches.get(0)).containsExactly(0, 1, 2, 3);
    executor.runOne(); // host b's worker was in line before a's second round: no starvation
    assertThat(batches.get(1)).containsExactly(100);
    executor.runOne();
    assertThat(batches.get(2)).containsExactly(4, 5, 6, 7);
  }

  @Test
  void requeuedGoFirstAndAWaitingOneCanBeRemoved() {
    HostLanes<Integer> l = lanes(2);
    l.submit("h", 1, 1);
    l.submit("h", 1, 2);
    l.submit("h", 1, 3);
    assertThat(l.remove("h", 3)).isTrue();
    executor.runOne();
    assertThat(batches.get(0)).containsExactly(1, 2);
    assertThat(l.remove("h", 1)).as("already taken").isFalse();
    l.requeue("h", List.of(2));
    l.submit("h", 1, 4);
    executor.runOne();
    assertThat(batches.get(1)).containsExactly(2, 4);
    assertThat(l.waiting("h")).isZero();
  }

  @Test
  void noCapMeansOneWorkerPerWaitingTransferUpToTheExecutor() {
    HostLanes<Integer> l = lanes(8);
    for (int i = 0; i < 3; i++) l.submit("h", 0, i);
    assertThat(l.workers("h")).isEqualTo(3);
  }
}
