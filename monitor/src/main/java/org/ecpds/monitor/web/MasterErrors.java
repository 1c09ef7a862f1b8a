package org.ecpds.monitor.web;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Turns a failed master call into one sentence an operator can act on (never a stack trace). */
final class MasterErrors {
  private MasterErrors() {}

  static String describe(StatusRuntimeException e, MasterClient master) {
    Status status = e.getStatus();
    String detail = status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
    return switch (status.getCode()) {
      case UNAVAILABLE -> "The master is unreachable" + detail + ". This page retries automatically.";
      case DEADLINE_EXCEEDED -> "The master did not answer within " + master.deadline().toSeconds()
          + " s. This page retries automatically.";
      case UNAUTHENTICATED -> "The master refused the monitor's cluster secret; check the monitor configuration"
          + detail + ".";
      case PERMISSION_DENIED -> "The master refused this operation" + detail + ".";
      case NOT_FOUND -> "The master does not know this object" + detail + ".";
      case INVALID_ARGUMENT, FAILED_PRECONDITION -> "The master rejected the request" + detail + ".";
      default -> "The master reported an error: " + status.getCode() + detail + ".";
    };
  }

  /** Unreachable or slow master: the page is temporarily unavailable (503), otherwise a bad gateway. */
  static int httpStatus(StatusRuntimeException e) {
    return switch (e.getStatus().getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> 503;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      default -> 502;
    };
  }
}
