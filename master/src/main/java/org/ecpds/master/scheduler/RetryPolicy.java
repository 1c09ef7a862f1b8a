package org.ecpds.master.scheduler;

import org.ecpds.proto.ErrorKind;

/**
 * What a failed attempt leads to, by error kind. Errors a wait cannot cure (wrong credentials, no
 * permission, missing remote path) stop the transfer once every host was tried, so that an
 * operator fixes the host and requeues; the rest (network, protocol hiccups, local I/O) are
 * retried after the destination's retry frequency, up to its retry count.
 */
final class RetryPolicy {
  private RetryPolicy() {}

  /** Whether another host of the destination should be tried at once. */
  static boolean failOver(ErrorKind kind) {
    return kind != ErrorKind.LOCAL && kind != ErrorKind.CANCELLED;
  }

  /** Whether waiting and trying again can help. */
  static boolean retryable(ErrorKind kind) {
    return switch (kind) {
      case AUTHENTICATION, PERMISSION, NOT_FOUND, CANCELLED -> false;
      default -> true;
    };
  }
}
