package org.ecpds.mover.transfer.ftp;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.ecpds.common.config.Durations;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * The options of one FTP/FTPS session, read once at connect. For method "ftps*" every
 * {@code ftp.X} option may also be given as {@code ftps.X} (which wins), as in OpenECPDS where FTPS
 * "mirrors FTP". Timeouts fall back to the generic {@code ectrans.*} ones. See {@link FtpModule}
 * for the meaning and defaults of each option.
 */
record FtpOptions(
    Security security,
    int defaultPort,
    boolean passive,
    boolean extended,
    boolean useTmp,
    boolean mkdirs,
    boolean ignoreCheck,
    Duration connectTimeout,
    Duration idleTimeout,
    int sendBufferSize,
    int receiveBufferSize,
    String controlEncoding,
    FtpListFormat listFormat,
    boolean useMlsd,
    String trustCert,
    boolean strict,
    String tlsProtocol,
    boolean protectData) {

  /** How the session is secured. */
  enum Security { NONE, EXPLICIT, IMPLICIT }

  static FtpOptions parse(String method, Map<String, String> options) throws TransferException {
    String m = method == null ? "ftp" : method.trim().toLowerCase(Locale.ROOT);
    try {
      Lookup o = new Lookup(options, m.startsWith("ftps"));
      Security sec = security(m, o);
      return new FtpOptions(
          sec,
          Integer.parseInt(o.get("port", sec == Security.IMPLICIT ? "990" : "21")),
          bool(o.get("passive", "yes")),
          bool(o.get("extended", "yes")),
          bool(o.get("usetmp", "yes")),
          bool(o.get("mkdirs", "yes")),
          bool(o.get("ignoreCheck", "no")),
          Durations.parse(o.timeout("connectTimeout", "30s")),
          Durations.parse(o.timeout("idleTimeout", "60s")),
          Integer.parseInt(o.get("sendBuffSize", "0")),
          Integer.parseInt(o.get("receiveBuffSize", "0")),
          o.get("controlEncoding", "UTF-8"),
          FtpListFormat.parse(k -> o.get(k, null)),
          bool(o.get("useMlsd", "yes")),
          o.raw("ftps.trustCert"),
          bool(o.get("strict", "no")),
          o.get("protocol", "TLS"),
          bool(o.get("protectData", "yes")));
    } catch (IllegalArgumentException e) {
      throw new TransferException(ErrorKind.PROTOCOL, "invalid FTP option: " + e.getMessage(), e);
    }
  }

  /**
   * Method "ftps-implicit" or {@code ftps.implicit=yes} or {@code ftps.connectionType=FTPS} (the
   * OpenECPDS name for implicit TLS on port 990) select implicit TLS; otherwise method "ftps" is
   * explicit (AUTH TLS, OpenECPDS "FTPES"). {@code ftps.connectionType=FTP} turns TLS off.
   */
  private static Security security(String method, Lookup o) {
    if (method.equals("ftp")) return Security.NONE;
    if (method.equals("ftps-implicit")) return Security.IMPLICIT;
    String type = o.raw("ftps.connectionType");
    if (type != null) {
      switch (type.trim().toUpperCase(Locale.ROOT)) {
        case "FTPS": return Security.IMPLICIT;
        case "FTPES": return Security.EXPLICIT;
        case "FTP": return Security.NONE;
        default: throw new IllegalArgumentException("ftps.connectionType must be FTP, FTPS or FTPES, not " + type);
      }
    }
    String implicit = o.raw("ftps.implicit");
    return implicit != null && bool(implicit) ? Security.IMPLICIT : Security.EXPLICIT;
  }

  static boolean bool(String v) {
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "yes", "true", "1", "on", "y", "shared", "remote" -> true;
      case "no", "false", "0", "off", "n" -> false;
      default -> throw new IllegalArgumentException("not a yes/no value: '" + v + "'");
    };
  }

  /** ftps.X before ftp.X (for FTPS methods), then the default. */
  private record Lookup(Map<String, String> options, boolean ftps) {
    String get(String key, String dflt) {
      String v = ftps ? raw("ftps." + key) : null;
      if (v == null) v = raw("ftp." + key);
      return v == null ? dflt : v.trim();
    }

    String timeout(String key, String dflt) {
      String v = get(key, null);
      if (v == null) v = raw("ectrans." + key);
      return v == null ? dflt : v;
    }

    String raw(String key) {
      String v = options.get(key);
      return v == null || v.isBlank() ? null : v;
    }
  }
}
