package org.ecpds.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DownloadOutboxTest {
  private static final DownloadOutbox.Report R1 = new DownloadOutbox.Report("u", 1, 10, "sftp", "::1");
  private static final DownloadOutbox.Report R2 = new DownloadOutbox.Report("u", 2, 20, "sftp", "::1");
  private static final DownloadOutbox.Report R3 = new DownloadOutbox.Report("u", 3, 30, "sftp", "::1");

  /** A real single-thread scheduler that remembers the retry delays it was asked for. */
  static final class RecordingScheduler extends ScheduledThreadPoolExecutor {
    final List<Duration> delays = new CopyOnWriteArrayList<>();

    RecordingScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      if (delay > 0) delays.add(Duration.ofNanos(unit.toNanos(delay))); // execute() schedules with 0
      return super.schedule(command, delay, unit);
    }
  }

  @Test
  void retriesWithGrowingBoundedDelaysUntilTheMasterAccepts() {
    AtomicInteger attempts = new AtomicInteger();
    List<DownloadOutbox.Report> recorded = new CopyOnWriteArrayList<>();
    RecordingScheduler scheduler = new RecordingScheduler();
    DownloadOutbox outbox = new DownloadOutbox(r -> {
      if (attempts.incrementAndGet() <= 4) throw Status.UNAVAILABLE.asRuntimeException();
      recorded.add(r);
    }, scheduler, new DownloadOutbox.Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), 10);

    assertThat(outbox.submit(R1)).isTrue();
    awaitTrue(() -> !recorded.isEmpty());
    assertThat(outbox.pending()).isZero();
    assertThat(outbox.close(Duration.ofSeconds(10))).isEmpty();
    assertThat(recorded).containsExactly(R1);
    assertThat(attempts).hasValue(5);
    assertThat(scheduler.delays).containsExactly(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(4),
        Duration.ofMillis(4));
  }

  @Test
  void backoffDoublesUpToItsBound() {
    var b = new DownloadOutbox.Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(b.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delayAfter(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.delayAfter(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delayAfter(64)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(1));
    assertThatThrownBy(() -> new DownloadOutbox.Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DownloadOutbox.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRefusalByTheMasterIsAnAnswerAndIsNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    List<DownloadOutbox.Report> recorded = new CopyOnWriteArrayList<>();
    DownloadOutbox outbox = new DownloadOutbox(r -> {
      attempts.incrementAndGet();
      if (r.transferId() == 1) throw Status.NOT_FOUND.asRuntimeException();
      recorded.add(r);
    }, new RecordingScheduler(), new DownloadOutbox.Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), 10);

    outbox.submit(R1);
    outbox.submit(R2);
    assertThat(outbox.close(Duration.ofSeconds(10))).isEmpty();
    assertThat(recorded).containsExactly(R2);
    assertThat(attempts).hasValue(2);
  }

  @Test
  void aFullOutboxRefusesWithoutBlockingAndSendsInOrder() throws InterruptedException {
    CountDownLatch masterSlow = new CountDownLatch(1);
    CountDownLatch firstSending = new CountDownLatch(1);
    List<DownloadOutbox.Report> recorded = new CopyOnWriteArrayList<>();
    DownloadOutbox outbox = new DownloadOutbox(r -> {
      firstSending.countDown();
      try {
        masterSlow.await();
      } catch (InterruptedException e) {
        throw Status.CANCELLED.asRuntimeException();
      }
      recorded.add(r);
    }, new RecordingScheduler(), new DownloadOutbox.Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), 2);

    assertThat(outbox.submit(R1)).isTrue();
    assertThat(firstSending.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(outbox.submit(R2)).isTrue();
    assertThat(outbox.submit(R3)).isFalse(); // R1 (being sent) and R2 fill it
    masterSlow.countDown();
    assertThat(outbox.close(Duration.ofSeconds(10))).isEmpty();
    assertThat(recorded).containsExactly(R1, R2);
  }

  @Test
  void closeGivesUpWithinItsBoundAndReturnsWhatTheMasterNeverGot() {
    AtomicInteger attempts = new AtomicInteger();
    RecordingScheduler scheduler = new RecordingScheduler();
    DownloadOutbox outbox = new DownloadOutbox(r -> {
      attempts.incrementAndGet();
      throw Status.UNAVAILABLE.asRuntimeException();
    }, scheduler, new DownloadOutbox.Backoff(Duration.ofHours(1), Duration.ofHours(1)), 10);

    outbox.submit(R1);
    outbox.submit(R2);
    awaitTrue(() -> !scheduler.delays.isEmpty()); // the first attempt failed and its retry waits an hour
    long start = System.nanoTime();
    List<DownloadOutbox.Report> lost = outbox.close(Duration.ofMillis(300));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(lost).containsExactly(R1, R2);
    assertThat(took).isLessThan(Duration.ofSeconds(5)); // not the hour-long backoff
    assertThat(attempts).as("the waiting retry is tried once more at close, then waits again").hasValue(2);
    assertThat(outbox.submit(R3)).isFalse();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
