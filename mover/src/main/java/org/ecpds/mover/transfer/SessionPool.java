package org.ecpds.mover.transfer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.config.Durations;
import org.ecpds.proto.HostSpec;

/**
 * Connected sessions kept open between transfers (and fetches) to the same host (an identical host spec:
 * address, login, password and options), so that a stream of small files does not pay a connection and login each time. A
 * session idle longer than {@code ectrans.keepAlive} (default 30s; 0 disables reuse) is closed.
 */
public final class SessionPool implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionPool.class);
  static final String KEEP_ALIVE = "ectrans.keepAlive";
  private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);

  private record Idle(TransferModule module, long expiresAtNanos) {}

  private final TransferModules modules;
  private final int maxIdlePerHost;
  private final Map<String, Deque<Idle>> idle = new HashMap<>();
  private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ecpds-session-reaper");
    t.setDaemon(true);
    return t;
  });

  public SessionPool(TransferModules modules, int maxIdlePerHost) {
    this.modules = modules;
    this.maxIdlePerHost = maxIdlePerHost;
    reaper.scheduleWithFixedDelay(this::closeExpired, 5, 5, TimeUnit.SECONDS);
  }

  /** A session to the host: a kept one if available, otherwise a new, connected one. */
  public Lease acquire(HostSpec host) throws TransferException {
    String key = key(host);
    synchronized (this) {
      Deque<Idle> q = idle.get(key);
      while (q != null && !q.isEmpty()) {
        Idle i = q.pollLast();
        if (i.expiresAtNanos() > System.nanoTime()) return new Lease(key, i.module(), true);
        i.module().close();
      }
    }
    TransferModule m = modules.create(host);
    try {
      m.connect(host, host.getOptionsMap());
    } catch (TransferException | RuntimeException e) {
      m.close();
      throw e;
    }
    return new Lease(key, m, false);
  }

  /** A fresh session, for a retry after a kept one turned out to be dead. */
  public Lease fresh(HostSpec host) throws TransferException {
    TransferModule m = modules.create(host);
    try {
      m.connect(host, host.getOptionsMap());
    } catch (TransferException | RuntimeException e) {
      m.close();
      throw e;
    }
    return new Lease(key(host), m, false);
  }

  /** Gives a healthy session back for reuse (or closes it when reuse is off or the pool is full). */
  public void release(Lease lease, HostSpec host) {
    Duration keep = keepAlive(host);
    if (keep.isZero()) {
      lease.module().close();
      return;
    }
    synchronized (this) {
      Deque<Idle> q = idle.computeIfAbsent(lease.key(), k -> new ArrayDeque<>());
      if (q.size() < maxIdlePerHost) {
        q.addLast(new Idle(lease.module(), System.nanoTime() + keep.toNanos()));
        return;
      }
    }
    lease.module().close();
  }

  /** An invalid value disables reuse rather than failing a transfer that already succeeded. */
  private static Duration keepAlive(HostSpec host) {
    String v = host.getOptionsMap().get(KEEP_ALIVE);
    if (v == null) return DEFAULT_KEEP_ALIVE;
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      LOG.warn("host {}: invalid {} '{}', sessions are not kept", host.getName(), KEEP_ALIVE, v);
      return Duration.ZERO;
    }
  }

  private synchronized void closeExpired() {
    long now = System.nanoTime();
    for (Iterator<Deque<Idle>> it = idle.values().iterator(); it.hasNext(); ) {
      Deque<Idle> q = it.next();
      q.removeIf(i -> {
        if (i.expiresAtNanos() > now) return false;
        i.module().close();
        return true;
      });
      if (q.isEmpty()) it.remove();
    }
  }

  @Override
  public synchronized void close() {
    reaper.shutdownNow();
    idle.values().forEach(q -> q.forEach(i -> i.module().close()));
    idle.clear();
  }

  /** Sessions are shared only between identical host specs (address, login, password, options). */
  public static String key(HostSpec host) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(host.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A session handed out for one transfer. */
  public record Lease(String key, TransferModule module, boolean reused) {}
}
