package org.ecpds.master.domain;

import java.time.Duration;

/**
 * An incoming user's Data Portal limits: concurrent sessions per mover (0: the mover's
 * portal.maxSessionsPerUser) and bytes per rolling period in each direction (0 bytes: no quota).
 */
public record PortalLimits(int maxConnections, long maxUploadBytes, Duration uploadPeriod, long maxDownloadBytes,
    Duration downloadPeriod) {
  public static final PortalLimits NONE = new PortalLimits(0, 0, Duration.ofDays(1), 0, Duration.ofDays(1));

  public boolean uploadQuota() {
    return maxUploadBytes > 0;
  }

  public boolean downloadQuota() {
    return maxDownloadBytes > 0;
  }
}
