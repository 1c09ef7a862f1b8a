package org.ecpds.common.errors;

import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;

/**
 * An unexpected failure seen by a client: the client gets a reference, never the exception's text (it can name
 * classes, SQL or paths); the log gets one line with the same reference, and the trace at debug level.
 */
public final class InternalErrors {
  private InternalErrors() {}

  /** Logs the failure and returns the message to give the client. */
  public static String record(Logger log, String where, Throwable e) {
    String ref = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    log.error("internal error {} in {}: {}", ref, where, e.toString());
    log.debug("internal error {}", ref, e);
    return "internal error (reference " + ref + ")";
  }
}
