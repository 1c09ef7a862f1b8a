package org.ecpds.mover.transfer.ssh;

import java.io.IOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.util.io.functors.IOFunction;
import org.apache.sshd.common.util.threads.SshThreadPoolExecutor;

/**
 * The I/O pool of the mover's SSH clients, which lets a transfer thread complete its own socket
 * writes. The JDK hands the completion of an asynchronous write to the channel group's pool unless
 * the writing thread belongs to the group; MINA's SFTP client waits for each request's completion
 * before it writes the next one. A transfer thread writing a batch of small requests (open, write,
 * close, rename per file) thus woke a pool thread and was woken by it for every request: in a
 * profile of the dissemination of 10,000 small files, a sixth of the standalone's CPU went into those
 * hand-offs. Inside {@link #run}, a completion handed to this pool by the running thread runs on
 * that thread instead (what the JDK does for its own pool threads); a write the socket could not take
 * at once still completes later on the pool, as does everything else.
 */
public final class CallerCompletions extends SshThreadPoolExecutor {
  private static final ThreadLocal<Boolean> ON_CALLER = new ThreadLocal<>();

  private CallerCompletions(int threads, ThreadFactory factory) {
    super(threads, threads, 0L, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
  }

  /** A pool of {@code threads} daemon threads named {@code name-N}. */
  public static CallerCompletions newPool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    return new CallerCompletions(threads, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code work} (which writes to an SSH channel) with its write completions on this thread. */
  public static <T, R> R run(T arg, IOFunction<? super T, R> work) throws IOException {
    if (ON_CALLER.get() != null) return work.apply(arg);
    ON_CALLER.set(Boolean.TRUE);
    try {
      return work.apply(arg);
    } finally {
      ON_CALLER.remove();
    }
  }

  @Override
  public void execute(Runnable task) {
    if (ON_CALLER.get() != null) {
      task.run();
    } else {
      super.execute(task);
    }
  }
}
