package org.ecpds.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes the files of a -batch list, -parallel at a time, each exactly as a single push (register,
 * upload, settle an unconfirmed arrival). Every file is checked before the first is sent. After
 * the first failure no new file is started (the ones under way finish), so a broken link or a
 * refused destination ends the run quickly; stdout then holds exactly the stored files.
 */
final class BatchPush {
  private final Pusher pusher;
  private final Io io;
  private final int parallel;

  BatchPush(Pusher pusher, Io io, int parallel) {
    this.pusher = pusher;
    this.io = io;
    this.parallel = parallel;
  }

  /** The exit code: 0 when every file is stored, else the first failure's. */
  int run(List<PushOptions.Push> pushes) throws CliException {
    AtomicReference<CliException> first = new AtomicReference<>();
    AtomicInteger notStarted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
      Thread t = new Thread(r, "ecpds-batch");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> all = new ArrayList<>(pushes.size());
      for (PushOptions.Push p : pushes) {
        all.add(pool.submit(() -> {
          if (first.get() != null) {
            notStarted.incrementAndGet();
            return;
          }
          try {
            long id = pusher.push(p);
            synchronized (io.out()) {
              io.out().println(id + "\t" + p.source().name());
            }
          } catch (CliException e) {
            first.compareAndSet(null, e);
            synchronized (io.err()) {
              io.err().println("ecpds: " + p.source().name() + ": " + e.getMessage());
            }
          }
        }));
      }
      for (Future<?> f : all) await(f);
    } finally {
      pool.shutdownNow();
    }
    io.out().flush();
    CliException failure = first.get();
    if (failure == null) return ExitCodes.OK;
    if (notStarted.get() > 0) {
      io.err().println("ecpds: " + notStarted.get() + " of " + pushes.size()
          + " files were not sent after the first failure");
    }
    return failure.exitCode();
  }

  private static void await(Future<?> f) throws CliException {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.UNKNOWN, "interrupted while pushing", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a batch push failed unexpectedly", e.getCause());
    }
  }
}
