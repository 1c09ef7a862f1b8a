package org.ecpds.master.acquisition;

/**
 * How a listed file is recognised as already registered. By default: destination + target + the remote
 * path it came from, so two remote files mapped to one target are both taken. {@code uniqueByTargetOnly}
 * drops the remote path (the first file to claim a target wins); {@code uniqueByNameAndTime} adds the
 * modified time, so each new version of a file is a new registration rather than a requeue candidate.
 * Null parts are left out.
 */
public record DedupKey(String destination, String target, String original, Long modifiedMillis) {

  static DedupKey of(String destination, String target, String original, long modifiedMillis, AcquisitionOptions o) {
    return new DedupKey(destination, target, o.uniqueByTargetOnly() ? null : original,
        o.uniqueByNameAndTime() ? modifiedMillis : null);
  }

  /** One string for an index or a map key; the parts are separated by NUL, which no path contains. */
  public String text() {
    return destination + '\0' + target + '\0' + (original == null ? "" : original) + '\0'
        + (modifiedMillis == null ? "" : modifiedMillis.toString());
  }
}
