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
  public String await(Predicate<String> condition, Duration timeout) throws Exception {
    return Conditions.awaitValue("an event line matching the condition; lines: " + lines(), timeout,
        () -> lines().stream().filter(condition).findFirst());
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
