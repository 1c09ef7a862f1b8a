package org.ecpds.master.acquisition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class AcquisitionSchedulerTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-05T00:00:00Z"));
  private final List<AcquisitionScheduler.Target> targets = new ArrayList<>();
  private final List<String> started = new ArrayList<>();
  private final Map<String, Runnable> done = new HashMap<>();
  private final AcquisitionScheduler scheduler = new AcquisitionScheduler(clock, () -> List.copyOf(targets), (t, d) -> {
    started.add(t.host() + "@" + clock.instant());
    done.put(t.host(), d);
  });

  private static AcquisitionScheduler.Target target(String host, Duration frequency) {
    return new AcquisitionScheduler.Target("D", host, frequency);
  }

  @Test
  void eachHostRunsEveryFrequencyAndNeverTwiceAtOnce() {
    targets.add(target("a", Duration.ofMinutes(5)));
    targets.add(target("b", Duration.ofMinutes(2)));
    scheduler.tick();
    assertThat(started).containsExactly("a@2026-12-05T00:00:00Z", "b@2026-12-05T00:00:00Z");
    done.get("a").run();
    clock.advance(Duration.ofMinutes(2));
    scheduler.tick(); // b is due but still running
    assertThat(started).hasSize(2);
    done.get("b").run();
    scheduler.tick();
    assertThat(started).last().isEqualTo("b@2026-12-05T00:02:00Z");
    done.get("b").run();
    clock.advance(Duration.ofMinutes(3).minusMillis(1));
    scheduler.tick(); // a: 4:59.999 since its start, not yet; b: 2:59.999 since its start, due
    assertThat(started).hasSize(4).last().isEqualTo("b@2026-12-05T00:04:59.999Z");
    clock.advance(Duration.ofMillis(1));
    scheduler.tick();
    assertThat(started).containsExactly("a@2026-12-05T00:00:00Z", "b@2026-12-05T00:00:00Z", "b@2026-12-05T00:02:00Z",
        "b@2026-12-05T00:04:59.999Z", "a@2026-12-05T00:05:00Z"); // b still running
  }

  @Test
  void anOverrunIsFollowedByOneRunNotABurst() {
    targets.add(target("a", Duration.ofMinutes(1)));
    scheduler.tick();
    clock.advance(Duration.ofMinutes(10));
    scheduler.tick();
    assertThat(started).hasSize(1);
    done.get("a").run();
    done.get("a").run(); // a second call is ignored
    scheduler.tick();
    scheduler.tick();
    assertThat(started).containsExactly("a@2026-12-05T00:00:00Z", "a@2026-12-05T00:10:00Z");
  }

  @Test
  void runNowStartsAnIdleTargetOnly() {
    AcquisitionScheduler.Target a = target("a", Duration.ofHours(1));
    assertThat(scheduler.runNow(a)).isTrue();
    assertThat(scheduler.isRunning(a)).isTrue();
    assertThat(scheduler.runNow(a)).isFalse();
    done.get("a").run();
    assertThat(scheduler.isRunning(a)).isFalse();
  }

  @Test
  void aRunnerThatFailsToStartLeavesNoRunBehind() {
    AcquisitionScheduler failing = new AcquisitionScheduler(clock, () -> List.of(target("a", Duration.ofMinutes(1))),
        (t, d) -> { throw new IllegalStateException("no mover"); });
    assertThatThrownBy(failing::tick).isInstanceOf(IllegalStateException.class);
    assertThat(failing.isRunning(target("a", Duration.ofMinutes(1)))).isFalse();
  }
}
