package org.ecpds.master.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.ecpds.master.db.Database;
import org.ecpds.master.service.TransferStore;
import org.ecpds.master.service.TransferStore.Write;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's database thread. Status changes queue here in the order the scheduler decided
 * them; the writer commits whatever has piled up in one transaction (group commit), then hands
 * each outcome back to the scheduler thread, which acts only on committed changes. A database
 * outage stalls the writer (it retries the same batch) but loses and reorders nothing.
 */
final class StatusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private static final int MAX_BATCH = 500;

  private final TransferStore store;
  private final Database db;
  private final Executor back;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Map<Long, Long> progress = new HashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  /** One status change and what to do (on the scheduler thread) once it is committed or refused. */
  record Pending(Write write, Consumer<Boolean> done, boolean inline) {}

  /** Other database work the scheduler must not do itself; runs in order with the writes. */
  record Job(Runnable work) {}

  StatusWriter(TransferStore store, Database db, Executor back) {
    this.store = store;
    this.db = db;
    this.back = back;
    this.thread = new Thread(this::run, "ecpds-status-writer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void submit(Write w, Consumer<Boolean> done) {
    queue.add(new Pending(w, done, false));
  }

  void submit(Runnable job) {
    queue.add(new Job(job));
  }

  /** Bytes sent so far by a running transfer; only the latest value is written. */
  void progress(long transferId, long bytes) {
    synchronized (progress) {
      progress.put(transferId, bytes);
    }
    queue.add(Boolean.TRUE); // wakes the writer
  }

  /** For operator actions: waits until the write is committed; true if it applied. */
  CompletableFuture<Boolean> submitAndWait(Write w) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    queue.add(new Pending(w, f::complete, true)); // completed here: the waiter may be the scheduler thread
    return f;
  }

  private void run() {
    List<Object> batch = new ArrayList<>();
    while (!closed) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch, MAX_BATCH - 1);
        process(batch);
      } catch (InterruptedException e) {
        return;
      }
      batch.clear();
    }
  }

  private void process(List<Object> batch) throws InterruptedException {
    List<Pending> writes = new ArrayList<>();
    for (Object o : batch) {
      if (o instanceof Pending p) {
        writes.add(p);
      } else if (o instanceof Job j) {
        commit(writes);
        writes.clear();
        runJob(j);
      }
    }
    commit(writes);
    flushProgress();
  }

  private void commit(List<Pending> writes) throws InterruptedException {
    if (writes.isEmpty()) return;
    List<Write> ws = writes.stream().map(Pending::write).toList();
    List<Write> missed = retrying(() -> store.applyAll(ws));
    Set<Write> refused = new HashSet<>(missed);
    for (Pending p : writes) {
      boolean ok = !refused.contains(p.write());
      if (!ok) LOG.warn("transfer {} was not {} as expected: change to {} not applied", p.write().next().id(),
          p.write().from(), p.write().next().status());
      if (p.inline()) {
        p.done().accept(ok);
      } else {
        back.execute(() -> p.done().accept(ok));
      }
    }
  }

  private void runJob(Job j) {
    try {
      j.work().run();
    } catch (RuntimeException e) {
      LOG.warn("scheduler database job failed: {}", e.toString());
    }
  }

  private void flushProgress() throws InterruptedException {
    Map<Long, Long> now;
    synchronized (progress) {
      if (progress.isEmpty()) return;
      now = new HashMap<>(progress);
      progress.clear();
    }
    retrying(() -> db.jdbi().withHandle(h -> {
      var b = h.prepareBatch("UPDATE data_transfer SET sent = :b WHERE id = :id AND status = 'EXEC'");
      now.forEach((id, bytes) -> b.bind("b", bytes).bind("id", id).add());
      return b.execute();
    }));
  }

  /** Retries until the database answers: a change is never dropped because the database was away. */
  private <T> T retrying(java.util.function.Supplier<T> work) throws InterruptedException {
    long delay = 100;
    while (true) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        if (closed) throw e;
        LOG.warn("database write failed, retrying in {} ms: {}", delay, e.toString());
        Thread.sleep(delay); // back-off between attempts against an unavailable database
        delay = Math.min(5_000, delay * 2);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
