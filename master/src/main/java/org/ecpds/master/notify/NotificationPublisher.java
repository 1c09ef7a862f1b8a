package org.ecpds.master.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ecpds.master.db.Database;
import org.ecpds.master.rules.TemplateContext;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the notification outbox on a thread of its own (never the scheduler's): each due row is
 * published and deleted once the broker has acknowledged it; a failure reschedules the row with an
 * exponential back-off (retryMin doubling up to retryMax), so a broker outage or a master restart
 * delays messages but loses none. A broker that failed in a pass is not tried again in that pass.
 */
public final class NotificationPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationPublisher.class);
  private static final int BATCH = 200;

  /** The master's mqtt.* configuration. */
  public record Settings(MqttOptions.Broker defaults, Duration pollInterval, Duration retryMin, Duration retryMax,
      Duration timeout) {}

  private final OutboxStore store;
  private final Settings settings;
  private final Clock clock;
  private final MqttLink link;
  private final Thread thread;
  private final Object signal = new Object();
  private volatile boolean closed;

  public NotificationPublisher(Database db, Settings settings, Clock clock) {
    this.store = new OutboxStore(db);
    this.settings = settings;
    this.clock = clock;
    this.link = new MqttLink(settings.timeout());
    this.thread = new Thread(this::run, "ecpds-mqtt-publisher");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Messages not yet acknowledged by their broker. */
  public long pending() {
    return store.pending();
  }

  private void run() {
    while (!closed) {
      int handled = 0;
      try {
        handled = pass();
      } catch (RuntimeException e) {
        LOG.warn("notification outbox pass failed, trying again: {}", e.toString());
      }
      if (handled < BATCH) pause(settings.pollInterval());
    }
    link.close();
  }

  private int pass() {
    List<OutboxStore.Due> due = store.due(clock.millis(), BATCH);
    Set<String> down = new HashSet<>();
    for (OutboxStore.Due d : due) {
      if (closed) break;
      send(d, down);
    }
    return due.size();
  }

  private void send(OutboxStore.Due d, Set<String> down) {
    Optional<MqttOptions> parsed;
    try {
      parsed = MqttOptions.parse(d.properties(), settings.defaults());
    } catch (IllegalArgumentException e) {
      later(d, "destination options: " + e.getMessage());
      return;
    }
    if (parsed.isEmpty()) {
      LOG.info("notification {} dropped: destination {} no longer publishes", d.id(), d.facts().destination().name());
      store.remove(d.id());
      return;
    }
    MqttOptions o = parsed.get();
    long now = clock.millis();
    if (!o.expiry().isZero() && now > d.createdMs() + o.expiry().toMillis()) {
      LOG.warn("notification {} of transfer {} dropped undelivered: older than mqtt.expiryInterval {}", d.id(),
          d.facts().transfer().id(), o.expiry());
      store.remove(d.id());
      return;
    }
    if (o.broker().url().isEmpty()) {
      later(d, "no broker: set mqtt.url on the destination or in the master configuration");
      return;
    }
    if (down.contains(o.broker().key())) {
      later(d, "broker " + o.broker().url() + " unreachable in this pass");
      return;
    }
    try {
      TemplateContext c = d.facts();
      String topic = o.topic().resolve(c) + (o.topicAppendsTarget() ? c.transfer().target() : "");
      link.publish(o.broker(), topic, Payloads.body(o, d.kind(), c), o.qos(), o.retain());
      store.remove(d.id());
    } catch (MqttException e) {
      down.add(o.broker().key());
      later(d, "broker " + o.broker().url() + ": " + e.getMessage() + " (reason " + e.getReasonCode() + ")");
    } catch (IllegalArgumentException e) {
      later(d, "template: " + e.getMessage());
    }
  }

  private void later(OutboxStore.Due d, String why) {
    long wait = backoff(d.attempts(), settings.retryMin(), settings.retryMax()).toMillis();
    if (d.attempts() == 0) LOG.warn("notification {} not delivered, retrying: {}", d.id(), why);
    store.retryAt(d.id(), clock.millis() + wait, why);
  }

  /** retryMin x 2^attempts, at most retryMax. */
  static Duration backoff(int attempts, Duration min, Duration max) {
    Duration d = min.multipliedBy(1L << Math.min(attempts, 30));
    return d.compareTo(max) > 0 || d.isNegative() ? max : d;
  }

  private void pause(Duration d) {
    synchronized (signal) {
      try {
        signal.wait(Math.max(1, d.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
