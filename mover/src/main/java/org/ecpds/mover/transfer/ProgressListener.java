package org.ecpds.mover.transfer;

/** Told the running total of bytes moved; called often, so implementations must be cheap. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = bytes -> {};

  void transferred(long totalBytes);
}
