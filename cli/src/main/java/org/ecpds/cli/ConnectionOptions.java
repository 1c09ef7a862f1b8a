package org.ecpds.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.ecpds.common.tls.PemTrust;
import picocli.CommandLine.Option;

/** How to reach and authenticate to the master. Single-dash names are OpenECPDS's; GNU forms are aliases. */
final class ConnectionOptions {
  static final String ENV_USER = "ECPDS_USER";
  static final String ENV_PASS = "ECPDS_PASS";
  static final String ENV_CACERT = "ECPDS_CACERT";

  @Option(names = {"-echost", "--echost"}, paramLabel = "HOST", defaultValue = "localhost",
      description = "Master host (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = {"-ecport", "--ecport"}, paramLabel = "PORT", defaultValue = "2640",
      description = "Master REST port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = {"-user", "--user"}, paramLabel = "USER",
      description = "User name (default: $" + ENV_USER + ", else the login name).")
  String user;

  @Option(names = {"-pass", "--pass"}, paramLabel = "PASS",
      description = "Password (default: $" + ENV_PASS + ", else prompted on a terminal). Prefer the variable: "
          + "arguments are visible to other local users.")
  String pass;

  @Option(names = {"-cacert", "--cacert"}, paramLabel = "FILE",
      description = "PEM certificate(s) to trust for the master instead of the JVM trust store (default: $"
          + ENV_CACERT + ").")
  Path cacert;

  @Option(names = {"-connectTimeoutSec", "--connectTimeoutSec"}, paramLabel = "SEC",
      defaultValue = "30", description = "Connection timeout in seconds (default: ${DEFAULT-VALUE}).")
  int connectTimeoutSec;

  @Option(names = {"-arrivalTimeoutSec", "--arrivalTimeoutSec"}, paramLabel = "SEC", defaultValue = "300",
      description = "How long to ask the master whether a file arrived when the mover stored it but could not "
          + "confirm it (default: ${DEFAULT-VALUE}); after that the push is withdrawn and fails.")
  int arrivalTimeoutSec;

  Duration arrivalTimeout() throws CliException {
    if (arrivalTimeoutSec < 0) throw CliException.usage("invalid -arrivalTimeoutSec " + arrivalTimeoutSec + " (>= 0)");
    return Duration.ofSeconds(arrivalTimeoutSec);
  }

  Endpoint endpoint() throws CliException {
    if (host == null || host.isBlank()) throw CliException.usage("-echost must not be empty");
    if (port < 1 || port > 65535) throw CliException.usage("invalid -ecport " + port + " (1-65535)");
    return new Endpoint(host.trim(), port);
  }

  Duration connectTimeout() throws CliException {
    if (connectTimeoutSec < 1) throw CliException.usage("invalid -connectTimeoutSec " + connectTimeoutSec + " (>= 1)");
    return Duration.ofSeconds(connectTimeoutSec);
  }

  Credentials credentials(Io io) throws CliException {
    String u = user != null ? user : io.getenv(ENV_USER);
    if (u == null) u = System.getProperty("user.name");
    if (u == null || u.isBlank()) throw CliException.usage("no user name: use -user or " + ENV_USER);
    String p = pass != null ? pass : io.getenv(ENV_PASS);
    if (p == null) {
      char[] typed = io.passwordPrompt().apply("Password for " + u + ": ");
      if (typed == null) throw CliException.usage("no password for user " + u + ": use -pass or " + ENV_PASS);
      p = new String(typed);
    }
    return new Credentials(u, p);
  }

  /** The explicit -cacert/ECPDS_CACERT certificates when given, else the JVM's default trust store. */
  SSLContext trust(Io io) throws CliException {
    Path file = cacert != null ? cacert : pathOrNull(io.getenv(ENV_CACERT));
    if (file == null) {
      try {
        return SSLContext.getDefault();
      } catch (GeneralSecurityException e) {
        throw new CliException(ExitCodes.CONNECT, "no usable default TLS trust store: " + e.getMessage(), e);
      }
    }
    String pem;
    try {
      pem = Files.readString(file);
    } catch (IOException e) {
      throw CliException.usage("cannot read CA certificate file " + file + ": " + LocalFiles.reason(e));
    }
    try {
      return PemTrust.trusting(List.of(pem));
    } catch (IllegalArgumentException e) {
      throw CliException.usage("invalid CA certificate file " + file + ": expected PEM certificates");
    }
  }

  private static Path pathOrNull(String s) {
    return s == null ? null : Path.of(s);
  }
}
