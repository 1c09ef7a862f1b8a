package org.ecpds.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Captures the event lines (PRS, DEA, ...) written to the "ecpds.events" logger while it is open,
 * so tests can assert what operators would find in the event log.
 */
public final class EventLines implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("ecpds.events");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  public EventLines() {
    appender.start();
    logger.addAppender(appender);
  }

  /** The lines captured so far. */
  public List<String> lines() {
    synchronized (appender) { // AppenderBase appends under this lock
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** DEA lines captured so far. */
  public List<String> denied() {
    return lines().stream().filter(l -> l.startsWith("DEA;")).toList();
  }

  /** Waits (with a deadline) for a line matching the condition, for events written by other threads. */
  public String await(Predicate<String> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String l : lines()) if (condition.test(l)) return l;
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no event line matched within " + timeout + "; lines: " + lines());
      }
      Thread.sleep(10); // polling interval of a condition wait with a deadline
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
