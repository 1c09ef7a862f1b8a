package org.ecpds.portal.webdav;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ecpds.portal.fs.FsPath;

/**
 * The server's WebDAV write locks, in memory: they protect against lost updates between WebDAV
 * clients of this server, as RFC 4918 intends, and vanish with a restart (clients re-lock). Expired
 * locks are dropped whenever locks are consulted; the number of locks is bounded.
 */
final class LockManager {
  static final int MAX_LOCKS = 10_000;
  static final long MAX_TIMEOUT_SECONDS = 3600;
  static final long DEFAULT_TIMEOUT_SECONDS = 600;

  private final Map<String, Lock> byToken = new LinkedHashMap<>();
  private final Clock clock;

  LockManager(Clock clock) {
    this.clock = clock;
  }

  private void expire() {
    long now = clock.millis();
    byToken.values().removeIf(l -> l.expiresAtMillis() <= now);
  }

  /** The locks covering {@code path} (on it, or deep on an ancestor). */
  synchronized List<Lock> covering(FsPath path) {
    expire();
    List<Lock> out = new ArrayList<>();
    for (Lock l : byToken.values()) if (l.covers(path)) out.add(l);
    return out;
  }

  /** The locks rooted at {@code path} or below it. */
  synchronized List<Lock> within(FsPath path) {
    expire();
    List<Lock> out = new ArrayList<>();
    for (Lock l : byToken.values()) if (path.contains(l.root())) out.add(l);
    return out;
  }

  synchronized Lock byToken(String token) {
    expire();
    return byToken.get(token);
  }

  /** A new lock, or null when it conflicts with another one (or the table is full). */
  synchronized Lock create(FsPath root, boolean deep, boolean exclusive, String user, String ownerXml, long seconds) {
    expire();
    if (byToken.size() >= MAX_LOCKS) return null;
    for (Lock l : byToken.values()) {
      boolean overlap = l.covers(root) || (deep && root.contains(l.root()));
      if (overlap && (exclusive || l.exclusive())) return null;
    }
    Lock lock = new Lock("opaquelocktoken:" + UUID.randomUUID(), root, deep, exclusive, user, ownerXml, seconds,
        clock.millis() + seconds * 1000);
    byToken.put(lock.token(), lock);
    return lock;
  }

  synchronized Lock refresh(Lock lock, long seconds) {
    Lock fresh = lock.refreshed(seconds, clock.millis());
    byToken.put(lock.token(), fresh);
    return fresh;
  }

  synchronized boolean remove(String token) {
    return byToken.remove(token) != null;
  }

  /** Drops every lock rooted at or below {@code path} (the resource was deleted or moved away). */
  synchronized void removeWithin(FsPath path) {
    byToken.values().removeIf(l -> path.contains(l.root()));
  }

  synchronized Collection<Lock> all() {
    expire();
    return new ArrayList<>(byToken.values());
  }

  /** The Timeout header's first acceptable value, capped. */
  static long timeout(String header) {
    if (header == null) return DEFAULT_TIMEOUT_SECONDS;
    for (String t : header.split(",")) {
      String v = t.trim();
      if (v.equalsIgnoreCase("Infinite")) return MAX_TIMEOUT_SECONDS;
      if (v.regionMatches(true, 0, "Second-", 0, 7)) {
        try {
          long s = Long.parseLong(v.substring(7));
          if (s > 0) return Math.min(s, MAX_TIMEOUT_SECONDS);
        } catch (NumberFormatException ignored) {
          // try the next one
        }
      }
    }
    return DEFAULT_TIMEOUT_SECONDS;
  }
}
