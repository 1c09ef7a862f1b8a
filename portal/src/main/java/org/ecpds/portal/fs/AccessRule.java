package org.ecpds.portal.fs;

import org.ecpds.proto.DestinationAccess;

/**
 * Whether a destination grant allows one operation on one path. The master applies the same rule to
 * the same grant; checking it here first spares a refused client a round trip to the master.
 */
@FunctionalInterface
public interface AccessRule {

  /** @param relative the path inside the destination ("" for the destination itself) */
  boolean allows(DestinationAccess access, FsPermission permission, String relative);
}
