package org.ecpds.portal;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.proto.PortalFile;

/**
 * The portal servers' only view of the rest of the system: who may log in, what a destination holds,
 * where the bytes are, and what happened. Implementations must be thread-safe; every protocol server
 * calls them from its own session threads.
 */
public interface PortalBackend {

  /** Checks a login; empty when refused. Never throws for a wrong password. */
  Optional<PortalUser> authenticate(String user, String password, String protocol, String remoteAddress);

  /** The files currently visible in one destination of this user. */
  List<PortalFile> listFiles(String user, String destination) throws IOException;

  /**
   * Opens the content of a listed file. The channel is read with positional reads (a
   * {@link java.nio.channels.FileChannel} is served without any locking) and closed by the caller.
   */
  SeekableByteChannel openContent(PortalFile file) throws IOException;

  /** A user received every byte of a file. */
  void reportDownload(String user, PortalFile file, long bytes, String protocol, String remoteAddress)
      throws IOException;

  /**
   * A user received only part of a file ({@code bytes} handed out): it counts in the download quota and
   * leaves the transfer as it is.
   */
  void reportPartialDownload(String user, PortalFile file, long bytes, String protocol, String remoteAddress)
      throws IOException;

  /** A login or access was refused (the DEA event line is written by the caller, see {@link DeniedEvents}). */
  void denied(String user, String message, String protocol, String remoteAddress);

  // ---- portal writes and key logins (PortalService's newer RPCs); a read-only backend refuses them ----

  /** Files and the directories made with MakeDirectory (relative paths) of one destination. */
  record Listing(List<PortalFile> files, List<String> directories) {
    public Listing {
      files = List.copyOf(files);
      directories = List.copyOf(directories);
    }
  }

  /** Who did something, for the master's records and its DEA lines. */
  record Caller(String user, String protocol, String remoteAddress) {}

  default Listing listing(String user, String destination) throws IOException {
    return new Listing(listFiles(user, destination), List.of());
  }

  /** Drops a cached listing after a change made through this portal. */
  default void forgetListing(String user, String destination) {}

  /** Checks a public key (OpenSSH authorized_keys form); empty when refused. */
  default Optional<PortalUser> authenticateKey(String user, String publicKey, String protocol, String remoteAddress) {
    return Optional.empty();
  }

  /** Allocates the data file of an upload to {@code path}; size -1 when unknown. Returns its id. */
  /** An S3 access key's user, secret and grants. */
  record S3Grant(String secretKey, PortalUser user) {}

  /** Who holds an S3 access key; empty when unknown (or the user is disabled). */
  default Optional<S3Grant> s3Credentials(String accessKeyId, String remoteAddress) {
    return Optional.empty();
  }

  /** Bytes the user may still upload in its quota's window (-1: no quota); asked only for users with one. */
  default long uploadRemaining(Caller caller, FsPath path) throws FsException {
    return -1;
  }

  /** Refuses (QUOTA_EXCEEDED) a download of {@code bytes} past the user's download quota. */
  default void requireDownload(Caller caller, FsPath path, long bytes) throws FsException {}

  default long registerUpload(Caller caller, FsPath path, long size, String moverName, Map<String, String> metadata)
      throws FsException {
    throw readOnly(path);
  }

  default void deleteFile(Caller caller, FsPath path) throws FsException {
    throw readOnly(path);
  }

  default void makeDirectory(Caller caller, FsPath path) throws FsException {
    throw readOnly(path);
  }

  default void removeDirectory(Caller caller, FsPath path) throws FsException {
    throw readOnly(path);
  }

  default void rename(Caller caller, FsPath from, FsPath to) throws FsException {
    throw readOnly(from);
  }

  private static FsException readOnly(FsPath path) {
    return new FsException(FsException.Kind.DENIED, path, "this portal is read-only");
  }
}
