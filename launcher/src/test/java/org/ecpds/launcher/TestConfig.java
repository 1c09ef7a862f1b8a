package org.ecpds.launcher;

import org.ecpds.common.config.Config;

/** The configuration the launcher's tests start from. */
final class TestConfig {
  private TestConfig() {}

  /**
   * No file, no environment, and no SFTP start-up warm-ups: they cost seconds of CPU per mover on the
   * 2-core test machines and are tested on their own (SftpWarmupTest, SftpPutWarmupHookTest). Forked processes
   * get the same from the surefire environment (ECPDS_PORTAL_SFTP_WARMUPMIB, ECPDS_MOVER_SFTP_WARMUPMIB in
   * the root pom).
   */
  static Config empty() {
    return Config.empty().with("portal.sftp.warmupMiB", 0).with("mover.sftp.warmupMiB", 0);
  }
}
