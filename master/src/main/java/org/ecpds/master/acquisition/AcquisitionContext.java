package org.ecpds.master.acquisition;

import java.util.Objects;
import org.ecpds.master.rules.TemplateContext;

/**
 * What the rules of one acquisition host may refer to: the destination it feeds, the host's fields
 * ({@code $host[...]}) and its transfer method. {@code password} is only substituted into the path
 * sent to the mover, never into a display text, a target or {@link #toString()}.
 */
public record AcquisitionContext(String destination, TemplateContext.Host host, String transferMethod, String password) {
  public AcquisitionContext {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(host, "host");
  }

  @Override
  public String toString() {
    return "AcquisitionContext[destination=" + destination + ", host=" + host.name() + ", transferMethod=" + transferMethod + "]";
  }
}
