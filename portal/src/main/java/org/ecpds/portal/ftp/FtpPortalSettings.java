package org.ecpds.portal.ftp;

import java.time.Duration;
import org.ecpds.common.config.Config;

/**
 * How the portal's FTP listeners are set up. A port of -1 turns a listener off, 0 picks a free one.
 * Plain FTP is off unless configured; the explicit-FTPS listener refuses everything but AUTH before TLS
 * and data connections without PROT P.
 *
 * @param bindAddress             address the control listeners bind; null or blank for every interface
 * @param ftpPort                 plain FTP (AUTH TLS offered, not required); -1 = off
 * @param ftpsPort                explicit FTPS (AUTH TLS required)
 * @param implicitPort            implicit FTPS (TLS from the first byte)
 * @param passivePorts            FtpServer's syntax: "4100-4199", "4100,4102", or "0" for any free port
 * @param passiveAddress          address advertised in PASV replies (NAT); null = the control connection's
 * @param idleTimeout             a control connection idle this long is closed
 * @param dataIdleTimeout         a data connection idle this long is closed
 * @param maxLogins               logged-in sessions over all listeners
 * @param maxConnectionsPerAddress open control connections from one client address
 * @param maxLoginFailures        refused logins before the connection is closed
 * @param loginFailureDelay       refusals are answered after this delay (or the portal's retryAfter)
 */
public record FtpPortalSettings(String bindAddress, int ftpPort, int ftpsPort, int implicitPort, String passivePorts,
    String passiveAddress, Duration idleTimeout, Duration dataIdleTimeout, int maxLogins, int maxConnectionsPerAddress,
    int maxLoginFailures, Duration loginFailureDelay) {

  public static final int DEFAULT_FTP_PORT = -1;
  public static final int DEFAULT_FTPS_PORT = 4021;
  public static final int DEFAULT_IMPLICIT_PORT = 4990;
  public static final String DEFAULT_PASSIVE_PORTS = "4100-4199";
  /** Refusals wait at most this long, however long the portal asks a client to back off. */
  static final Duration MAX_REFUSAL_DELAY = Duration.ofSeconds(30);

  public FtpPortalSettings {
    if (passivePorts == null || passivePorts.isBlank()) passivePorts = "0";
    if (passiveAddress != null && passiveAddress.isBlank()) passiveAddress = null;
    if (bindAddress != null && bindAddress.isBlank()) bindAddress = null;
  }

  /** The defaults: explicit FTPS on 4021, implicit on 4990, plain FTP off, passive 4100-4199. */
  public static FtpPortalSettings defaults() {
    return new FtpPortalSettings(null, DEFAULT_FTP_PORT, DEFAULT_FTPS_PORT, DEFAULT_IMPLICIT_PORT,
        DEFAULT_PASSIVE_PORTS, null, Duration.ofMinutes(5), Duration.ofMinutes(2), 500, 20, 3, Duration.ofSeconds(1));
  }

  /** Every listener on a free port, passive ports any free ones (tests). */
  public static FtpPortalSettings loopbackAnyPorts() {
    return defaults().withPorts(0, 0, 0).withBind("127.0.0.1").withPassive("0", null);
  }

  /** Whether any listener is on (else there is no FTP server to start). */
  public boolean enabled() {
    return ftpPort >= 0 || ftpsPort >= 0 || implicitPort >= 0;
  }

  public FtpPortalSettings withPorts(int ftp, int ftps, int implicit) {
    return new FtpPortalSettings(bindAddress, ftp, ftps, implicit, passivePorts, passiveAddress, idleTimeout,
        dataIdleTimeout, maxLogins, maxConnectionsPerAddress, maxLoginFailures, loginFailureDelay);
  }

  public FtpPortalSettings withBind(String bind) {
    return new FtpPortalSettings(bind, ftpPort, ftpsPort, implicitPort, passivePorts, passiveAddress, idleTimeout,
        dataIdleTimeout, maxLogins, maxConnectionsPerAddress, maxLoginFailures, loginFailureDelay);
  }

  public FtpPortalSettings withPassive(String ports, String advertisedAddress) {
    return new FtpPortalSettings(bindAddress, ftpPort, ftpsPort, implicitPort, ports, advertisedAddress, idleTimeout,
        dataIdleTimeout, maxLogins, maxConnectionsPerAddress, maxLoginFailures, loginFailureDelay);
  }

  public FtpPortalSettings withLimits(Duration idle, int maxPerAddress, int maxFailures, Duration failureDelay) {
    return new FtpPortalSettings(bindAddress, ftpPort, ftpsPort, implicitPort, passivePorts, passiveAddress, idle,
        dataIdleTimeout, maxLogins, maxPerAddress, maxFailures, failureDelay);
  }

  public FtpPortalSettings withMaxLogins(int max) {
    return new FtpPortalSettings(bindAddress, ftpPort, ftpsPort, implicitPort, passivePorts, passiveAddress, idleTimeout,
        dataIdleTimeout, max, maxConnectionsPerAddress, maxLoginFailures, loginFailureDelay);
  }

  /** Reads the portal.ftp.* / portal.ftps.* keys. */
  public static FtpPortalSettings from(Config config) {
    FtpPortalSettings d = defaults();
    return new FtpPortalSettings(
        config.get("portal.ftp.bind", "0.0.0.0"),
        config.getPort("portal.ftp.port", d.ftpPort()),
        config.getPort("portal.ftps.port", d.ftpsPort()),
        config.getPort("portal.ftps.implicitPort", d.implicitPort()),
        config.get("portal.ftp.passivePorts", d.passivePorts()),
        config.get("portal.ftp.passiveAddress", ""),
        config.getDuration("portal.ftp.idleTimeout", d.idleTimeout()),
        config.getDuration("portal.ftp.dataIdleTimeout", d.dataIdleTimeout()),
        config.getInt("portal.ftp.maxLogins", d.maxLogins(), 1, 100_000),
        config.getInt("portal.ftp.maxConnectionsPerAddress", d.maxConnectionsPerAddress(), 1, 100_000),
        config.getInt("portal.ftp.maxLoginFailures", d.maxLoginFailures(), 1, 1000),
        config.getDuration("portal.ftp.loginFailureDelay", d.loginFailureDelay()));
  }
}
