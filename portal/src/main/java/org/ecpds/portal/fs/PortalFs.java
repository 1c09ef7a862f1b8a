package org.ecpds.portal.fs;

import java.io.IOException;
import java.util.List;

/**
 * One logged-in user's view of the Data Portal, the only thing a protocol adapter talks to. Every call
 * checks the user's permissions (and their path rules), writes the DEA line for a refusal, and throws
 * {@link FsException} with a kind the adapter maps to its protocol's reply. The root lists the
 * destinations the user may see; the root and destinations themselves cannot be written, removed or
 * renamed. Directories inside a destination come from the files' target names (a/b/c) and from
 * {@link #mkdir}. Implementations are thread-safe: one PortalFs may serve parallel requests of a session.
 */
public interface PortalFs extends AutoCloseable {

  String user();

  /** The protocol as written in event lines: sftp, scp, ftp, ftps, https, webdav, s3. */
  String protocol();

  String remoteAddress();

  FsEntry stat(FsPath path) throws FsException;

  /** The entries of a directory, sorted by name. */
  List<FsEntry> list(FsPath directory) throws FsException;

  FsReader read(FsPath file) throws IOException;

  /** Starts an upload to {@code file}; its parent must be an existing directory in a destination. */
  FsUpload write(FsPath file) throws IOException;

  /**
   * Starts an upload whose missing parent directories come into being with the file, as S3 keys with
   * slashes do: a file's target name carries its directories, so this needs PUT only (not MKDIR). Only a
   * file in the way ({@code NOT_DIRECTORY}) or an invisible destination stops it. This default is for
   * views whose directories exist only once made: it makes the missing ones first (which needs MKDIR).
   */
  default FsUpload writeWithParents(FsPath file) throws IOException {
    java.util.ArrayDeque<FsPath> missing = new java.util.ArrayDeque<>();
    for (FsPath d = file.parent(); !d.isRoot() && !d.isDestination(); d = d.parent()) {
      try {
        if (!stat(d).directory()) throw new FsException(FsException.Kind.NOT_DIRECTORY, file, "a file is in the way: " + d);
        break;
      } catch (FsException e) {
        if (e.kind() != FsException.Kind.NOT_FOUND) throw e;
        missing.push(d);
      }
    }
    for (FsPath d : missing) {
      try {
        mkdir(d);
      } catch (FsException e) {
        if (e.kind() != FsException.Kind.EXISTS) throw e; // made meanwhile by a parallel request
      }
    }
    return write(file);
  }

  void delete(FsPath file) throws FsException;

  void mkdir(FsPath directory) throws FsException;

  /** Removes an empty directory. */
  void rmdir(FsPath directory) throws FsException;

  /** Moves a file or a directory (with everything below it); an existing file at {@code to} is replaced. */
  void rename(FsPath from, FsPath to) throws FsException;

  /** Sets a file's modification time (rclone, rsync-style clients); needs MTIME. */
  void setModified(FsPath file, long millis) throws FsException;

  /** Whether the user holds {@code permission} at {@code path}, for adapters that advertise rights (WebDAV, FTP). */
  boolean allowed(FsPermission permission, FsPath path);

  /**
   * This session as seen through another protocol of the same connection, so that its event lines and
   * transfer history name what the client used: an SSH login precedes the channel, which may be scp.
   * Closing the view does not end the session. Views that cannot relabel return themselves.
   */
  default PortalFs overProtocol(String protocol) {
    return this;
  }

  /**
   * A request the adapter refused for a limit of its own protocol (an XML body or a page too large):
   * writes the DEA line, as the file system does for its own refusals.
   */
  default void refused(String message) {}

  /** Ends the session: releases its connection slot. */
  @Override
  void close();
}
