package org.ecpds.portal;

import org.ecpds.common.events.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where portal servers record a refusal: the local DEA event line, then the backend. */
public final class DeniedEvents {
  private static final Logger LOG = LoggerFactory.getLogger(DeniedEvents.class);

  private DeniedEvents() {}

  public static void report(PortalBackend backend, String user, String message, String protocol,
      String remoteAddress, String moverName) {
    EventLog.denied(user, message, protocol, moverName, remoteAddress);
    forward(backend, user, message, protocol, remoteAddress);
  }

  /** Only the master's copy, for refusals whose local DEA line the LoginGuard already wrote. */
  public static void forward(PortalBackend backend, String user, String message, String protocol,
      String remoteAddress) {
    try {
      backend.denied(user, message, protocol, remoteAddress);
    } catch (RuntimeException e) {
      // The refusal itself already happened; losing the remote copy of the event must not break it.
      LOG.warn("cannot forward denied event for {}: {}", user, e.toString());
    }
  }
}
