package org.ecpds.mover.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.ecpds.common.metrics.Metrics;

/** A mover's meters: what its transfer modules sent, by protocol, and how long each transfer took. */
public final class MoverMetrics {
  private final PrometheusMeterRegistry registry = Metrics.newRegistry();

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** One finished dissemination transfer through the module of {@code protocol}. */
  public void transferred(String protocol, boolean ok, long bytes, long millis) {
    String p = protocol == null || protocol.isBlank() ? "unknown" : protocol;
    Counter.builder("ecpds_mover_sent_bytes").description("bytes sent to remote hosts by transfer modules")
        .baseUnit("bytes").tag("protocol", p).register(registry).increment(Math.max(0, bytes));
    Timer.builder("ecpds_mover_transfer").description("dissemination transfers by protocol and outcome")
        .tag("protocol", p).tag("outcome", ok ? "done" : "failed").register(registry)
        .record(Duration.ofMillis(Math.max(0, millis)));
  }
}
