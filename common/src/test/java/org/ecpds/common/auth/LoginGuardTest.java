package org.ecpds.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.ecpds.common.auth.LoginGuard.Attempt;
import org.ecpds.common.auth.LoginGuard.Settings;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoginGuardTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Settings settings = new Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(15), 100);
  private final LoginGuard guard = new LoginGuard(settings, clock);
  private final EventLines events = new EventLines();

  @AfterEach
  void close() {
    events.close();
  }

  private static Attempt from(String address, String user) {
    return new Attempt("rest", "master", address, user);
  }

  @Test
  void freeFailuresCostNothingThenTheDelayDoublesUpToTheCap() {
    Attempt a = from("10.0.0.1", "alice");
    for (int i = 0; i < 3; i++) assertThat(guard.refused(a, "bad password")).isZero();
    long[] expected = {1, 2, 4, 8, 16, 30, 30};
    for (long seconds : expected) {
      Duration d = guard.refused(a, "bad password");
      assertThat(d).isEqualTo(Duration.ofSeconds(seconds));
      clock.advance(d);
    }
    assertThat(guard.delayAfter(Integer.MAX_VALUE)).isEqualTo(30_000);
  }

  @Test
  void anAddressInPenaltyIsRefusedBeforeTheCheckUntilTheDelayPasses() {
    Attempt a = from("10.0.0.1", "alice");
    for (int i = 0; i < 3; i++) guard.refused(a, "bad password");
    assertThat(guard.waitBefore(a)).isZero();
    assertThat(guard.refused(a, "bad password")).isEqualTo(Duration.ofSeconds(1));
    assertThat(guard.waitBefore(a)).isEqualTo(Duration.ofSeconds(1));
    clock.advance(Duration.ofMillis(400));
    assertThat(guard.waitBefore(a)).isEqualTo(Duration.ofMillis(600));
    clock.advance(Duration.ofMillis(600));
    assertThat(guard.waitBefore(a)).isZero();
  }

  @Test
  void earlyRefusalsDoNotExtendThePenaltyBeyondTheCap() {
    Attempt a = from("10.0.0.1", "alice");
    for (int i = 0; i < 20; i++) guard.refused(a, "bad password");
    for (int i = 0; i < 1000; i++) assertThat(guard.waitBefore(a)).isPositive();
    clock.advance(Duration.ofSeconds(30));
    assertThat(guard.waitBefore(a)).isZero();
  }

  @Test
  void theUserPenaltyNeverBlocksAnotherAddressAndOnlyHoldsBackFailures() {
    for (int i = 0; i < 10; i++) guard.refused(from("10.0.0." + i, "alice"), "bad password");
    Attempt legit = from("192.168.1.5", "alice");
    assertThat(guard.waitBefore(legit)).isZero();
    // a wrong password for alice from a fresh address is held back by alice's count...
    assertThat(guard.refused(from("10.9.9.9", "alice"), "bad password")).isEqualTo(Duration.ofSeconds(30));
    // ...but the address itself was not penalised, and a success forgets alice's failures
    guard.accepted(legit);
    assertThat(guard.refused(from("10.9.9.8", "alice"), "bad password")).isZero();
  }

  @Test
  void failuresOlderThanTheWindowAreForgotten() {
    Attempt a = from("10.0.0.1", "alice");
    for (int i = 0; i < 3; i++) guard.refused(a, "bad password");
    clock.advance(Duration.ofMinutes(16));
    assertThat(guard.refused(a, "bad password")).isZero();
    assertThat(guard.tracked()).isEqualTo(2);
  }

  @Test
  void memoryIsBoundedByTheTrackedCap() {
    for (int i = 0; i < 10_000; i++) guard.refused(from("10.1." + (i / 256) + "." + (i % 256), "user" + i), "bad");
    assertThat(guard.tracked()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(16));
    guard.refused(from("10.2.0.1", "bob"), "bad");
    assertThat(guard.tracked()).isEqualTo(2);
  }

  @Test
  void everyRefusalIsADeaLineWithInterfaceProcessAndAddress() {
    Attempt a = new Attempt("sftp", "mover-1", "10.0.0.7", "eve");
    for (int i = 0; i < 4; i++) guard.refused(a, "Password authentication failed");
    guard.waitBefore(a);
    LoginGuard.forbidden(new Attempt("rest", "master", "10.0.0.8", "bob"), "no put permission on destination d1");
    assertThat(events.denied()).containsExactly(
        "DEA;UserId=eve;Message=Password authentication failed;Context=sftp,mover-1,10.0.0.7",
        "DEA;UserId=eve;Message=Password authentication failed;Context=sftp,mover-1,10.0.0.7",
        "DEA;UserId=eve;Message=Password authentication failed;Context=sftp,mover-1,10.0.0.7",
        "DEA;UserId=eve;Message=Password authentication failed;Context=sftp,mover-1,10.0.0.7",
        "DEA;UserId=eve;Message=Too many failed attempts from this address;Context=sftp,mover-1,10.0.0.7",
        "DEA;UserId=bob;Message=no put permission on destination d1;Context=rest,master,10.0.0.8");
  }

  @Test
  void settingsComeFromTheAuthKeysWithDocumentedDefaults() {
    assertThat(Settings.from(Config.empty())).isEqualTo(LoginGuard.DEFAULTS);
    assertThat(LoginGuard.DEFAULTS).isEqualTo(
        new Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(15), 10_000));
    Config c = Config.empty().with("auth.freeFailures", 5).with("auth.baseDelay", "250ms").with("auth.maxDelay", "2m")
        .with("auth.failureWindow", "1h").with("auth.maxTracked", 50);
    assertThat(Settings.from(c)).isEqualTo(
        new Settings(5, Duration.ofMillis(250), Duration.ofMinutes(2), Duration.ofHours(1), 50));
  }

  @Test
  void retryAfterRoundsUpToWholeSeconds() {
    assertThat(LoginGuard.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(LoginGuard.retryAfterSeconds(Duration.ofMillis(1000))).isEqualTo(1);
    assertThat(LoginGuard.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
    assertThat(LoginGuard.retryAfterSeconds(Duration.ofSeconds(30))).isEqualTo(30);
  }

  @Test
  void userInputCannotForgeEventFields() {
    guard.refused(from("10.0.0.1", "x;Message=ok\nDEA;UserId=root"), "bad");
    assertThat(events.denied()).containsExactly("DEA;UserId=x,Message=ok DEA,UserId=root;Message=bad;Context=rest,master,10.0.0.1");
  }
}
