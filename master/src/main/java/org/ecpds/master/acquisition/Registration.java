package org.ecpds.master.acquisition;

import java.time.Duration;

/**
 * What the Acquisition Scheduler registers for one selected entry (or deletes, with
 * {@code action=delete}). {@code remotePath} is the path the mover fetches or deletes and may hold the
 * host's password when the rule uses {@code $host[passwd]}; {@code original} is the same path masked,
 * the one to store, log and show. {@code toString} leaves {@code remotePath} out.
 */
public record Registration(int line, String remotePath, String original, String name, String target, long size,
    long modifiedMillis, String metadata, Duration lifetime, int priority, boolean standby, boolean noRetrieval,
    boolean deleteOriginal, String groupBy, AcquisitionOptions.Action action, DedupKey key) {

  @Override
  public String toString() {
    return "Registration[line=" + line + ", original=" + original + ", target=" + target + ", size=" + size
        + ", modifiedMillis=" + modifiedMillis + ", priority=" + priority + ", lifetime=" + lifetime + ", standby=" + standby
        + ", noRetrieval=" + noRetrieval + ", deleteOriginal=" + deleteOriginal + ", groupBy=" + groupBy
        + ", action=" + action + ", key=" + key + "]";
  }
}
