package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** -waitfor's requests: long polls bounded by the time left, and polling a master that answers at once. */
class GroupWaiterTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void eachRequestAsksTheMasterToWaitAtMostTheTimeLeftAndFiftySeconds() throws Exception {
    List<Duration> asked = new ArrayList<>();
    GroupWaiter w = new GroupWaiter(wait -> {
      asked.add(wait);
      return new GroupState(2, asked.size() < 3 ? 1 : 2, asked.size() >= 3, false);
    }, Duration.ofHours(1), Duration.ofMillis(1), new PrintStream(err));
    assertThat(w.await("G")).isEqualTo(ExitCodes.OK);
    assertThat(asked).hasSize(3).allSatisfy(d -> assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(50)));
    assertThat(asked.get(0)).isEqualTo(GroupWaiter.MAX_WAIT);
  }

  @Test
  void aShortTimeoutIsTheLongestWaitAskedAndEndsWithExitCode5() throws Exception {
    List<Duration> asked = new ArrayList<>();
    GroupWaiter w = new GroupWaiter(wait -> {
      asked.add(wait);
      return new GroupState(1, 0, false, false);
    }, Duration.ofMillis(300), Duration.ofMillis(50), new PrintStream(err));
    assertThat(w.await("G")).isEqualTo(ExitCodes.TIMEOUT);
    assertThat(asked).isNotEmpty().allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(300)));
    assertThat(err.toString()).contains("group G not fetched within 0 s (0 of 1 fetched)");
  }

  @Test
  void aFailedMemberEndsTheWaitWithExitCode1() throws Exception {
    GroupWaiter w = new GroupWaiter(wait -> new GroupState(3, 2, false, true), Duration.ofHours(1), Duration.ofSeconds(1),
        new PrintStream(err));
    assertThat(w.await("G")).isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).contains("a file could not be fetched (2 of 3 fetched)");
  }
}
