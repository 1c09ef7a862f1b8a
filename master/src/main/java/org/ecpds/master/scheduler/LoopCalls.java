package org.ecpds.master.scheduler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A task run on a scheduler's own thread, its answer awaited by the caller (operator actions,
 * start-up): the schedulers' state is only ever touched by their thread.
 */
final class LoopCalls {
  private LoopCalls() {}

  static <T> T call(Executor loop, String name, Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        f.complete(task.get());
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    });
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(name + " did not answer: " + e, e);
    }
  }
}
