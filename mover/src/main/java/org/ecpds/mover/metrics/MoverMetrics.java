package org.ecpds.mover.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ecpds.common.metrics.Metrics;

/** A mover's meters: what its transfer modules sent, by protocol, and how long each transfer took. */
public final class MoverMetrics {
  private final PrometheusMeterRegistry registry = Metrics.newRegistry();
  private final Map<String, Meters> byProtocol = new ConcurrentHashMap<>();

  /** A protocol's meters, looked up once: registering (building ids, sorting tags) on every file cost more than recording. */
  private record Meters(Counter sent, Timer done, Timer failed) {}

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** One finished dissemination transfer through the module of {@code protocol}. */
  public void transferred(String protocol, boolean ok, long bytes, long millis) {
    String p = protocol == null || protocol.isBlank() ? "unknown" : protocol;
    Meters m = byProtocol.computeIfAbsent(p, this::meters);
    m.sent().increment(Math.max(0, bytes));
    (ok ? m.done() : m.failed()).record(Duration.ofMillis(Math.max(0, millis)));
  }

  private Meters meters(String p) {
    return new Meters(
        Counter.builder("ecpds_mover_sent_bytes").description("bytes sent to remote hosts by transfer modules")
            .baseUnit("bytes").tag("protocol", p).register(registry),
        timer(p, "done"), timer(p, "failed"));
  }

  private Timer timer(String p, String outcome) {
    return Timer.builder("ecpds_mover_transfer").description("dissemination transfers by protocol and outcome")
        .tag("protocol", p).tag("outcome", outcome).register(registry);
  }
}
