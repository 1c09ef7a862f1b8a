package org.ecpds.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ecpds.common.config.Config;
import org.junit.jupiter.api.Test;

class RetrievalPolicyTest {
  @Test
  void theRetryDelayDoublesUpToItsMaximumAndAttemptsRunOut() {
    RetrievalPolicy p = RetrievalPolicy.from(Config.empty().with("retrieval.retryDelay", "10s")
        .with("retrieval.maxRetryDelay", "1m").with("retrieval.maxAttempts", 4).with("retrieval.maxThreads", 7));
    assertThat(p.maxThreads()).isEqualTo(7);
    assertThat(p.nextDueMs(1, 1000)).isEqualTo(1000 + 10_000);
    assertThat(p.nextDueMs(2, 1000)).isEqualTo(1000 + 20_000);
    assertThat(p.nextDueMs(3, 1000)).isEqualTo(1000 + 40_000);
    assertThat(p.nextDueMs(4, 1000)).isEqualTo(1000 + 60_000);
    assertThat(p.nextDueMs(500, 1000)).isEqualTo(1000 + 60_000);
    assertThat(p.givesUp(3)).isFalse();
    assertThat(p.givesUp(4)).isTrue();
  }

  @Test
  void defaults() {
    assertThat(RetrievalPolicy.from(Config.empty())).isEqualTo(RetrievalPolicy.DEFAULTS);
    assertThat(RetrievalPolicy.DEFAULTS.retryDelay()).isEqualTo(Duration.ofSeconds(30));
  }
}
