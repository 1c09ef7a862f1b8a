package org.ecpds.testkit;

import java.time.Duration;
import java.util.Optional;

/**
 * The one way tests wait: poll a condition until it holds or a deadline passes, then fail naming what
 * was awaited. Polls start at 5 ms and back off to 200 ms, so a quick condition costs little and a long
 * wait does not spin.
 */
public final class Conditions {

  /** A condition that may throw (a REST call, a file read). */
  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  /** A probe that yields a value once it is there. */
  @FunctionalInterface
  public interface Probe<T> {
    Optional<T> value() throws Exception;
  }

  private Conditions() {}

  /** Waits until {@code check} holds; an exception from the check ends the wait. */
  public static void await(String what, Duration timeout, Check check) throws Exception {
    awaitValue(what, timeout, () -> check.holds() ? Optional.of(Boolean.TRUE) : Optional.empty());
  }

  /** Waits until {@code probe} yields a value and returns it. */
  public static <T> T awaitValue(String what, Duration timeout, Probe<T> probe) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    long pause = 5;
    while (true) {
      Optional<T> v = probe.value();
      if (v.isPresent()) return v.get();
      if (System.nanoTime() > end) throw new AssertionError("not within " + timeout + ": " + what);
      Thread.sleep(pause); // between polls of the condition, bounded by the deadline
      pause = Math.min(200, pause * 2);
    }
  }
}
