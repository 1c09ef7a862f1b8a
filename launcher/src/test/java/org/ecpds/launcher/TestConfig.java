package org.ecpds.launcher;

import org.ecpds.common.config.Config;

/** The configuration the launcher's tests start from. */
final class TestConfig {
  private TestConfig() {}

  /**
   * No file, no environment, and no SFTP start-up warm-up: it costs seconds of CPU per mover on the
   * 2-core test machines and is tested on its own (SftpWarmupTest). Forked processes get the same from
   * the surefire environment (ECPDS_PORTAL_SFTP_WARMUPMIB in the root pom).
   */
  static Config empty() {
    return Config.empty().with("portal.sftp.warmupMiB", 0);
  }
}
