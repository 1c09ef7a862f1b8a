package org.ecpds.master.service;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.master.domain.ForbiddenException;

/**
 * Monitor sessions as the master knows them: a random token issued at a successful web login and
 * mapped back to that user on each admin call that changes something. So the monitor, although
 * trusted with the cluster secret, can only act for people who logged in through it, and only
 * until the token expires. Kept in memory: a restarted master forgets them and the people log in
 * again, which is the safe direction.
 */
public final class WebSessions {
  /** As long as the monitor's own absolute session limit, plus the time a page stays open. */
  public static final Duration LIFETIME = Duration.ofHours(13);
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Entry(String user, long expiresMs) {}

  private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
  private final Clock clock;

  public WebSessions(Clock clock) {
    this.clock = clock;
  }

  public String issue(String user) {
    long now = clock.millis();
    tokens.values().removeIf(e -> e.expiresMs() <= now);
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.put(token, new Entry(user, now + LIFETIME.toMillis()));
    return token;
  }

  /** Forgets the token (a logout); unknown tokens are ignored. */
  public void revoke(String token) {
    if (token != null) tokens.remove(token);
  }

  /** The user the token was issued to; refused when unknown or expired. */
  public String user(String token) {
    Entry e = token == null || token.isEmpty() ? null : tokens.get(token);
    if (e == null || e.expiresMs() <= clock.millis()) {
      if (e != null) tokens.remove(token, e);
      throw new ForbiddenException("no valid monitor session; log in again");
    }
    return e.user();
  }
}
