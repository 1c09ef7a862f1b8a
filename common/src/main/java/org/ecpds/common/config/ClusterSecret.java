package org.ecpds.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared secret of node links, from cluster.secret or the file named by cluster.secretFile. */
public final class ClusterSecret {
  private ClusterSecret() {}

  /** For movers and monitors: the secret must already exist (the master creates it). */
  public static String require(Config config) {
    String inline = config.get("cluster.secret", null);
    if (inline != null) return inline;
    Path file = config.getPath("cluster.secretFile", null);
    if (file == null) throw new IllegalArgumentException("missing configuration key: cluster.secret or cluster.secretFile");
    try {
      String s = Files.readString(file).trim();
      if (s.isEmpty()) throw new IllegalArgumentException("cluster.secretFile " + file + " is empty");
      return s;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read cluster.secretFile " + file + ": " + e.getMessage(), e);
    }
  }

  /** For the master: creates a random secret in defaultFile when none is configured. */
  public static String readOrCreate(Config config, Path defaultFile) {
    String inline = config.get("cluster.secret", null);
    if (inline != null) return inline;
    return SecretFiles.readOrCreate(config.getPath("cluster.secretFile", defaultFile), 32);
  }
}
