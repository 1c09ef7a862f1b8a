package org.ecpds.portal.fs;

/** OpenECPDS's incoming-user permissions, one per kind of operation (optionally limited by a path regex). */
public enum FsPermission {
  GET, PUT, DELETE, DIR, MKDIR, RMDIR, RENAME, SIZE, MTIME
}
