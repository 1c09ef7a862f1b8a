package org.ecpds.mover.store;

import java.io.IOException;

/** No volume has room for the announced size; nothing was written. */
public final class InsufficientSpaceException extends IOException {
  public InsufficientSpaceException(long dataFileId, long needed, long free) {
    super("no room for data file " + dataFileId + ": " + needed + " bytes announced, " + free
        + " bytes free on the mover's volumes");
  }
}
