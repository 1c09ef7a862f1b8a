package org.ecpds.mover.link;

import java.util.concurrent.CompletableFuture;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;

/** Where receivers of content (upload endpoint, portal) announce durably stored data files. */
public interface StoredReporter {
  boolean isConnected();

  CompletableFuture<StoredAck> reportStored(Stored stored);
}
