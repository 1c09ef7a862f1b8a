package org.ecpds.monitor.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions keyed by a random 256-bit id. Only the id travels in the cookie, so logging
 * out or expiring really ends the session. Sessions end after {@link #IDLE} without requests or
 * {@link #ABSOLUTE} after login, whichever comes first (a wall display refreshing all day still
 * has to log in again once a shift).
 */
final class SessionStore {
  static final Duration IDLE = Duration.ofMinutes(30);
  static final Duration ABSOLUTE = Duration.ofHours(12);

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  SessionStore(Clock clock) {
    this.clock = clock;
  }

  /** 256 random bits, URL-safe (cookie values and form fields need no escaping). */
  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A fresh session for a user who just logged in; a new id each time prevents session fixation. */
  Session create(String user) {
    return create(user, false, "");
  }

  Session create(String user, boolean readOnly, String masterToken) {
    purgeExpired();
    Session s = new Session(randomToken(), user, randomToken(), readOnly, masterToken, clock.instant());
    sessions.put(s.id(), s);
    return s;
  }

  Optional<Session> find(String id) {
    if (id == null) return Optional.empty();
    Session s = sessions.get(id);
    if (s == null) return Optional.empty();
    Instant now = clock.instant();
    if (expired(s, now)) {
      sessions.remove(id, s);
      return Optional.empty();
    }
    s.touch(now);
    return Optional.of(s);
  }

  void invalidate(String id) {
    if (id != null) sessions.remove(id);
  }

  int size() {
    return sessions.size();
  }

  private void purgeExpired() {
    Instant now = clock.instant();
    sessions.values().removeIf(s -> expired(s, now));
  }

  private static boolean expired(Session s, Instant now) {
    return now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.created().plus(ABSOLUTE));
  }
}
