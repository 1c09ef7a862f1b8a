package org.ecpds.mover.store;

import java.io.IOException;

/** The data file is already held (or being stored): content is never overwritten. */
public final class AlreadyStoredException extends IOException {
  public AlreadyStoredException(long dataFileId) {
    super("data file " + dataFileId + " is already stored on this mover");
  }
}
