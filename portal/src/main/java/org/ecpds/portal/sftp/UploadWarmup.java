package org.ecpds.portal.sftp;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;

/**
 * An SFTP client's upload path warmed against the portal's own listener right after start: the mover's
 * dissemination client, whose first large file after a start otherwise ran at about 0.6x of the later
 * ones while the JIT compiled its per-packet path (docs/benchmarks.md). The upload lands in the warm-up
 * session's file system, which counts the bytes and drops them.
 */
@FunctionalInterface
public interface UploadWarmup {

  /**
   * Uploads {@code bytes} to {@code path} on the listener at {@code address}, logged in as {@code user}
   * with {@code key}; the listener's host key is one of {@code hostKeys}.
   *
   * @return the bytes uploaded
   */
  long upload(InetSocketAddress address, List<PublicKey> hostKeys, String user, KeyPair key, String path, long bytes)
      throws Exception;
}
