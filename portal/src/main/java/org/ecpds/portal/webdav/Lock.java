package org.ecpds.portal.webdav;

import org.ecpds.portal.fs.FsPath;

/** A write lock (RFC 4918 §6): on {@code root}, and everything below it when {@code deep}. */
record Lock(String token, FsPath root, boolean deep, boolean exclusive, String user, String ownerXml, long timeoutSeconds,
    long expiresAtMillis) {

  /** Whether this lock covers {@code path}: its root, or below it for a depth-infinity lock. */
  boolean covers(FsPath path) {
    return root.equals(path) || (deep && root.contains(path));
  }

  Lock refreshed(long seconds, long now) {
    return new Lock(token, root, deep, exclusive, user, ownerXml, seconds, now + seconds * 1000);
  }
}
