package org.ecpds.master.acquisition;

/**
 * What to do with a selected entry whose dedup key is already registered, given the size and modified
 * time the master knows ({@code $size1 $time1} in OpenECPDS) and the listed ones ({@code $size2 $time2}).
 */
public final class Requeue {
  private Requeue() {}

  public enum Decision {
    /** Not registered yet: register it. */
    REGISTER,
    /** Same size and time as registered: nothing to do. */
    UNCHANGED,
    /** Changed, but requeueonupdate is off: keep the registered copy. */
    KEEP,
    /** Only the time changed and requeueonsamesize is off: keep the registered copy. */
    KEEP_SAME_SIZE,
    /** Changed and the options ask for it: fetch it again. */
    REQUEUE
  }

  /** The known size and modified time of a registered file. */
  public record Known(long size, long modifiedMillis) {}

  /** {@code known} is null when the dedup key is not registered. */
  public static Decision decide(Known known, RemoteFile listed, AcquisitionOptions options) {
    return decide(known, listed, options.requeueOnUpdate(), options.requeueOnSameSize());
  }

  static Decision decide(Known known, RemoteFile listed, boolean requeueOnUpdate, boolean requeueOnSameSize) {
    if (known == null) return Decision.REGISTER;
    boolean sameSize = known.size() == listed.size();
    if (sameSize && known.modifiedMillis() == listed.modifiedMillis()) return Decision.UNCHANGED;
    if (!requeueOnUpdate) return Decision.KEEP;
    if (sameSize && !requeueOnSameSize) return Decision.KEEP_SAME_SIZE;
    return Decision.REQUEUE;
  }
}
