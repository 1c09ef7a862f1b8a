package org.ecpds.portal.fs;

import java.io.IOException;

/**
 * Why a portal file-system operation was refused. Adapters map the {@link Kind} to their protocol's
 * own reply (SFTP status, FTP 5xx, HTTP status, S3 error code) and never look at the message, which is
 * for the user and the logs. A refusal for lack of permission has already written its DEA line.
 */
public final class FsException extends IOException {

  public enum Kind {
    /** Nothing there, or nothing the user may see (an ungranted destination does not exist for them). */
    NOT_FOUND,
    /** The user may see it but not do this (permission or path rule). */
    DENIED,
    /** Creating what already exists (mkdir of an existing directory, a file where a directory is). */
    EXISTS,
    /** rmdir of a directory that still holds something. */
    NOT_EMPTY,
    /** A file operation on a directory. */
    IS_DIRECTORY,
    /** A directory operation on a file, or a parent that is a file. */
    NOT_DIRECTORY,
    /** A name that cannot be addressed (see {@link FsPath}). */
    INVALID_NAME,
    /** A per-user limit: connections, bytes per period, file size, pending files. */
    QUOTA_EXCEEDED,
    /** The master or the mover holding the content cannot be reached just now; worth retrying. */
    UNAVAILABLE
  }

  private final Kind kind;
  private final transient FsPath path;

  public FsException(Kind kind, FsPath path, String message) {
    super(message);
    this.kind = kind;
    this.path = path;
  }

  public FsException(Kind kind, FsPath path, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.path = path;
  }

  public Kind kind() {
    return kind;
  }

  /** The path concerned, when known. */
  public FsPath path() {
    return path;
  }
}
