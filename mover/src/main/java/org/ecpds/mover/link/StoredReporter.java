package org.ecpds.mover.link;

import java.util.concurrent.CompletableFuture;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;

/**
 * Where receivers of content (upload endpoint, portal) announce durably stored data files. The
 * reporter owns the report from then on: it delivers it until the master answers it for good, and
 * removes the content itself when the master refuses it ({@link StoredAck#getRefused()}). A caller
 * that stops waiting therefore never deletes the content.
 */
public interface StoredReporter {
  boolean isConnected();

  /** Completes with the master's first answer, or exceptionally when the link is down or drops before it. */
  CompletableFuture<StoredAck> reportStored(Stored stored);
}
