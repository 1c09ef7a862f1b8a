package org.ecpds.mover.store;

import java.io.IOException;

/** The received content does not have the announced size; nothing was stored. */
public final class SizeMismatchException extends IOException {
  public SizeMismatchException(long dataFileId, long expected, long actual) {
    super("data file " + dataFileId + ": expected " + expected + " bytes but received " + actual);
  }
}
