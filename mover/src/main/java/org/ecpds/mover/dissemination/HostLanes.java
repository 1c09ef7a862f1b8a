package org.ecpds.mover.dissemination;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Transfers waiting for a session, one lane per host (same session key). A lane runs at most
 * {@code cap} workers at once (the host's connection cap the master sent), each holding one
 * session; a worker takes the waiting transfers as a batch, its share of the lane (waiting / the
 * workers not running a batch, at most {@code maxBatch}), runs it, then goes back to the end of the executor's line,
 * so that one busy host does not starve the others.
 */
final class HostLanes<J> {
  private final Executor executor;
  private final int maxBatch;
  private final BiConsumer<String, List<J>> runner;
  private final Map<String, Lane<J>> lanes = new HashMap<>();

  private static final class Lane<J> {
    final String key;
    final ArrayDeque<J> waiting = new ArrayDeque<>();
    int cap;
    int workers;
    /** Workers running a batch (the others are about to take one). */
    int busy;

    Lane(String key) {
      this.key = key;
    }
  }

  /** {@code runner} gets a lane's key and a batch; it must not throw. */
  HostLanes(Executor executor, int maxBatch, BiConsumer<String, List<J>> runner) {
    this.executor = executor;
    this.maxBatch = Math.max(1, maxBatch);
    this.runner = runner;
  }

  /** Queues a transfer; {@code cap} <= 0 means no cap of the lane's own (the executor's threads bound it). */
  void submit(String key, int cap, J job) {
    Lane<J> start;
    synchronized (this) {
      Lane<J> l = lanes.computeIfAbsent(key, Lane::new);
      l.cap = cap > 0 ? cap : Integer.MAX_VALUE;
      l.waiting.addLast(job);
      start = startWorker(l);
    }
    if (start != null) schedule(start);
  }

  /** Puts transfers back at the head of their lane (not attempted: e.g. the session broke first). */
  void requeue(String key, List<J> jobs) {
    if (jobs.isEmpty()) return;
    Lane<J> start;
    synchronized (this) {
      Lane<J> l = lanes.computeIfAbsent(key, Lane::new);
      if (l.cap == 0) l.cap = Integer.MAX_VALUE;
      for (int i = jobs.size() - 1; i >= 0; i--) l.waiting.addFirst(jobs.get(i));
      start = startWorker(l);
    }
    if (start != null) schedule(start);
  }

  /** Drops a waiting transfer (cancelled before its turn); false if a worker already took it. */
  synchronized boolean remove(String key, J job) {
    Lane<J> l = lanes.get(key);
    return l != null && l.waiting.remove(job);
  }

  synchronized int waiting(String key) {
    Lane<J> l = lanes.get(key);
    return l == null ? 0 : l.waiting.size();
  }

  synchronized int workers(String key) {
    Lane<J> l = lanes.get(key);
    return l == null ? 0 : l.workers;
  }

  private Lane<J> startWorker(Lane<J> l) {
    if (l.workers >= l.cap || l.waiting.isEmpty()) return null;
    l.workers++;
    return l;
  }

  /** The next batch of a worker, empty when the lane has nothing for it (the worker then ends). */
  synchronized List<J> take(Lane<J> l) {
    if (l.waiting.isEmpty() || l.workers > l.cap) { // over the cap: the cap was lowered meanwhile
      l.workers--;
      if (l.workers == 0 && l.waiting.isEmpty()) lanes.remove(l.key, l);
      return List.of();
    }
    int takers = Math.max(1, l.workers - l.busy); // the waiting are shared among the workers about to take
    int share = (l.waiting.size() + takers - 1) / takers;
    l.busy++;
    int n = Math.min(maxBatch, Math.max(1, share));
    List<J> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) batch.add(l.waiting.pollFirst());
    return batch;
  }

  private void schedule(Lane<J> l) {
    try {
      executor.execute(() -> work(l));
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        l.workers--; // shutting down
      }
    }
  }

  private void work(Lane<J> l) {
    List<J> batch = take(l);
    if (batch.isEmpty()) return;
    try {
      runner.accept(l.key, batch);
    } finally {
      synchronized (this) {
        l.busy--;
      }
      schedule(l);
    }
  }
}
