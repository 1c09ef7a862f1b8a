package org.ecpds.portal.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class LockManagerTest {
  @Test
  void locksConflictByScopeAndDepthAndExpire() throws Exception {
    ManualClock clock = new ManualClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    LockManager locks = new LockManager(clock);
    FsPath dir = FsPath.parse("/D/dir");
    FsPath file = FsPath.parse("/D/dir/f");
    Lock deep = locks.create(dir, true, true, "u", null, 60);
    assertThat(deep).isNotNull();
    assertThat(locks.covering(file)).containsExactly(deep);
    assertThat(locks.create(file, false, false, "v", null, 60)).as("shared under an exclusive deep lock").isNull();
    assertThat(locks.create(FsPath.parse("/D"), true, false, "v", null, 60)).as("deep lock over an exclusive one").isNull();
    clock.advance(Duration.ofSeconds(61));
    assertThat(locks.covering(file)).isEmpty();
    Lock s1 = locks.create(file, false, false, "u", null, 60);
    Lock s2 = locks.create(file, false, false, "v", null, 60);
    assertThat(s1).isNotNull();
    assertThat(s2).isNotNull();
    assertThat(locks.create(file, false, true, "w", null, 60)).isNull();
    assertThat(LockManager.timeout("Second-99999")).isEqualTo(LockManager.MAX_TIMEOUT_SECONDS);
    assertThat(LockManager.timeout("Infinite, Second-5")).isEqualTo(LockManager.MAX_TIMEOUT_SECONDS);
    assertThat(LockManager.timeout("Second-5")).isEqualTo(5);
    assertThat(LockManager.timeout("bogus")).isEqualTo(LockManager.DEFAULT_TIMEOUT_SECONDS);
  }
}
