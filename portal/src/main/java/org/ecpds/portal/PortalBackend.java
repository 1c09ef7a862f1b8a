package org.ecpds.portal;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;
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

  /** A login or access was refused (the DEA event line is written by the caller, see {@link DeniedEvents}). */
  void denied(String user, String message, String protocol, String remoteAddress);
}
