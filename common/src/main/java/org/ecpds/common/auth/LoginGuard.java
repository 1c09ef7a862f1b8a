package org.ecpds.common.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ecpds.common.config.Config;
import org.ecpds.common.events.EventLog;

/**
 * The one rule for refused credentials on every interface (REST, CLI uploads, portal, monitor,
 * gRPC node links): each refusal is a DEA event line, and repeated failures are slowed down.
 *
 * <ul>
 *   <li>Failures are counted per client address and per user within a window; a failure after
 *       the window forgets the older ones.
 *   <li>Beyond {@code freeFailures}, failure n costs {@code min(baseDelay × 2^(n-freeFailures-1), maxDelay)}.
 *   <li>The <b>address</b> penalty is a wait: until it ends, attempts from that address are refused
 *       before the credentials are checked ({@link #waitBefore}). Such early refusals are not counted,
 *       so a client cannot be held back for longer than {@code maxDelay} after its last checked failure.
 *   <li>The <b>user</b> penalty only holds back the answer to a <i>failed</i> attempt ({@link #refused});
 *       it never refuses the right password, so nobody can lock a legitimate user out from
 *       another address.
 *   <li>Memory is bounded: at most {@code maxTracked} addresses and as many users; the least
 *       recently failed entries are dropped first, and entries older than the window are expired.
 * </ul>
 *
 * Adapters never sleep on the delay (that would pin a server thread per attempt and turn the guard
 * into a way to exhaust a thread pool): they answer with the protocol's own "too many attempts"
 * reply carrying the wait (REST 429 + Retry-After, gRPC RESOURCE_EXHAUSTED), or hold the answer
 * back asynchronously where the server API allows it (MINA SSHD's asynchronous password check).
 */
public final class LoginGuard {
  /** Tunables; {@link #DEFAULTS} unless the process configuration overrides them. */
  public record Settings(int freeFailures, Duration baseDelay, Duration maxDelay, Duration window, int maxTracked) {
    public Settings {
      if (freeFailures < 0 || maxTracked < 1 || baseDelay.isNegative() || maxDelay.isNegative() || window.isNegative()) {
        throw new IllegalArgumentException("login guard settings must not be negative (maxTracked at least 1)");
      }
    }

    public static Settings from(Config c) {
      return new Settings(c.getInt("auth.freeFailures", DEFAULTS.freeFailures),
          c.getDuration("auth.baseDelay", DEFAULTS.baseDelay), c.getDuration("auth.maxDelay", DEFAULTS.maxDelay),
          c.getDuration("auth.failureWindow", DEFAULTS.window), c.getInt("auth.maxTracked", DEFAULTS.maxTracked));
    }
  }

  public static final Settings DEFAULTS =
      new Settings(3, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(15), 10_000);

  /**
   * One attempt to authenticate: the interface (protocol) it came in on, the process that served
   * it, the client address and the user it claimed (empty when the interface has no user name).
   */
  public record Attempt(String protocol, String process, String address, String user) {
    public Attempt {
      address = address == null ? "" : address;
      user = user == null ? "" : user;
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final Failures byAddress;
  private final Failures byUser;

  public LoginGuard(Settings settings, Clock clock) {
    this.settings = Objects.requireNonNull(settings);
    this.clock = Objects.requireNonNull(clock);
    this.byAddress = new Failures(settings.maxTracked);
    this.byUser = new Failures(settings.maxTracked);
  }

  public LoginGuard(Config config, Clock clock) {
    this(Settings.from(config), clock);
  }

  /**
   * Before the credentials are checked: how long this address must still wait (zero: go ahead).
   * A positive wait is a refusal, already written as a DEA line; answer "too many attempts".
   */
  public Duration waitBefore(Attempt a) {
    long now = clock.millis();
    long until;
    synchronized (this) {
      Entry e = byAddress.current(a.address, now, settings.window.toMillis());
      until = e == null ? 0 : e.blockedUntil;
    }
    if (until <= now) return Duration.ZERO;
    EventLog.denied(a.user, "Too many failed attempts from this address", a.protocol, a.process, a.address);
    return Duration.ofMillis(until - now);
  }

  /**
   * The credentials were refused: writes the DEA line and counts the failure for the address and
   * the user. Returns how long the refusal should be held back (zero: answer at once).
   */
  public Duration refused(Attempt a, String message) {
    EventLog.denied(a.user, message, a.protocol, a.process, a.address);
    long now = clock.millis();
    long window = settings.window.toMillis();
    long addressDelay;
    long userDelay = 0;
    synchronized (this) {
      Entry e = byAddress.fail(a.address, now, window);
      addressDelay = delayAfter(e.failures);
      e.blockedUntil = now + addressDelay;
      if (!a.user.isEmpty()) userDelay = delayAfter(byUser.fail(a.user, now, window).failures);
    }
    return Duration.ofMillis(Math.max(addressDelay, userDelay));
  }

  /** The credentials were accepted: the user's failures are forgotten (the address's are not). */
  public void accepted(Attempt a) {
    if (a.user.isEmpty()) return;
    synchronized (this) {
      byUser.remove(a.user);
    }
  }

  /** A refusal that is not about credentials (a permission, a token for another file): DEA line only. */
  public static void forbidden(Attempt a, String message) {
    EventLog.denied(a.user, message, a.protocol, a.process, a.address);
  }

  /** A wait in whole seconds for "retry after" answers, rounded up: a client that honours it is not refused again. */
  public static long retryAfterSeconds(Duration wait) {
    return Math.max(1, (wait.toMillis() + 999) / 1000);
  }

  long delayAfter(int failures) {
    int over = failures - settings.freeFailures;
    if (over <= 0) return 0;
    long cap = settings.maxDelay.toMillis();
    long base = settings.baseDelay.toMillis();
    // 2^(over-1) × base without overflow: stop doubling once the cap is reached
    long d = base;
    for (int i = 1; i < over && d < cap; i++) d = d * 2;
    return Math.min(d, cap);
  }

  /** How many addresses and users are tracked (for tests of the memory bound). */
  synchronized int tracked() {
    return byAddress.size() + byUser.size();
  }

  private static final class Entry {
    int failures;
    long lastFailure;
    long blockedUntil;
  }

  /** Failure counters in least-recently-failed order, bounded in size. */
  private static final class Failures extends LinkedHashMap<String, Entry> {
    private final int max;

    Failures(int max) {
      super(16, 0.75f, false); // insertion order, re-inserted on each failure: oldest failure first
      this.max = max;
    }

    Entry current(String key, long now, long window) {
      Entry e = get(key);
      if (e != null && now - e.lastFailure > window && e.blockedUntil <= now) {
        remove(key);
        return null;
      }
      return e;
    }

    Entry fail(String key, long now, long window) {
      expireOldest(now, window);
      Entry e = current(key, now, window);
      if (e == null) {
        e = new Entry();
      } else {
        remove(key);
      }
      put(key, e);
      e.failures = e.failures == Integer.MAX_VALUE ? e.failures : e.failures + 1;
      e.lastFailure = now;
      return e;
    }

    /** Drops entries past the window from the old end, so idle entries do not wait for the size cap. */
    private void expireOldest(long now, long window) {
      var it = values().iterator();
      while (it.hasNext()) {
        Entry e = it.next();
        if (now - e.lastFailure <= window || e.blockedUntil > now) break;
        it.remove();
      }
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > max;
    }
  }
}
