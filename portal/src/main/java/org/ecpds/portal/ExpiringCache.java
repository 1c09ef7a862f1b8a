package org.ecpds.portal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A small time-bounded cache sparing the master repeated identical calls. Entries expire after a fixed
 * time; when the cache grows past its bound the expired entries are swept, and if that is not enough
 * it is cleared (a burst of distinct keys must never grow memory without limit).
 */
final class ExpiringCache<K, V> {

  @FunctionalInterface
  interface Loader<K, V> {
    V load(K key) throws IOException;
  }

  private record Entry<V>(V value, long expiresAt) {}

  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoClock;

  ExpiringCache(Duration ttl, int maxEntries, LongSupplier nanoClock) {
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
    this.nanoClock = nanoClock;
  }

  /** The cached value, or else the loaded one, which is then cached. */
  V get(K key, Loader<K, V> loader) throws IOException {
    long now = nanoClock.getAsLong();
    Entry<V> e = entries.get(key);
    if (e != null && now - e.expiresAt() < 0) return e.value();
    V value = loader.load(key);
    put(key, value);
    return value;
  }

  V getIfPresent(K key) {
    Entry<V> e = entries.get(key);
    return e != null && nanoClock.getAsLong() - e.expiresAt() < 0 ? e.value() : null;
  }

  void put(K key, V value) {
    if (ttlNanos <= 0) return;
    long now = nanoClock.getAsLong();
    if (entries.size() >= maxEntries) {
      entries.values().removeIf(x -> now - x.expiresAt() >= 0);
      if (entries.size() >= maxEntries) entries.clear();
    }
    entries.put(key, new Entry<>(value, now + ttlNanos));
  }

  void invalidate(K key) {
    entries.remove(key);
  }

  void invalidateIf(java.util.function.Predicate<K> which) {
    entries.keySet().removeIf(which);
  }
}
