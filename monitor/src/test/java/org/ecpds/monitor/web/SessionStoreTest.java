package org.ecpds.monitor.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SessionStore store = new SessionStore(clock);

  @Test
  void sessionsHaveDistinctRandomIdsAndTokens() {
    Session a = store.create("alice");
    Session b = store.create("alice");
    assertThat(a.id()).hasSize(43).isNotEqualTo(b.id()).isNotEqualTo(a.csrfToken());
    assertThat(a.csrfMatches(a.csrfToken())).isTrue();
    assertThat(a.csrfMatches(b.csrfToken())).isFalse();
    assertThat(a.csrfMatches(null)).isFalse();
  }

  @Test
  void idleSessionsExpireButActiveOnesLiveUntilTheAbsoluteLimit() {
    Session idle = store.create("idle");
    Session active = store.create("active");
    for (Duration step = Duration.ZERO; step.compareTo(SessionStore.ABSOLUTE) < 0; step = step.plusMinutes(20)) {
      assertThat(store.find(active.id())).as("at " + step).isPresent();
      clock.advance(Duration.ofMinutes(20));
    }
    assertThat(store.find(idle.id())).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.find(active.id())).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void flashShowsOnce() {
    Session s = store.create("bob");
    s.flash(true, "done");
    assertThat(s.takeFlash()).isEqualTo(new Session.Flash(true, "done"));
    assertThat(s.takeFlash()).isNull();
  }
}
