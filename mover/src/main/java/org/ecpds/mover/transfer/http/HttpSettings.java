package org.ecpds.mover.transfer.http;

import org.ecpds.mover.transfer.Flags;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ecpds.common.config.Durations;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * Connection options shared by the http and webdav modules, read with the module's prefix
 * ({@code http.} or {@code webdav.}); see {@link HttpModule} for the list and defaults.
 */
public record HttpSettings(
    String scheme,
    String address,
    int port,
    String basePath,
    Duration connectTimeout,
    Duration idleTimeout,
    String trustCertPem,
    boolean sslValidation,
    String authorization,
    List<String[]> headers,
    boolean expectContinue) {

  public static HttpSettings from(String prefix, HostSpec host, Map<String, String> options, String defaultScheme)
      throws TransferException {
    try {
      String scheme = opt(options, prefix, "scheme", defaultScheme).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new TransferException(ErrorKind.PROTOCOL, prefix + ".scheme must be http or https, not " + scheme);
      }
      int port = host.getPort() > 0 ? host.getPort()
          : Integer.parseInt(opt(options, prefix, "port", scheme.equals("https") ? "443" : "80"));
      String base = opt(options, prefix, "path", "/").trim();
      base = "/" + base.replaceAll("^/+|/+$", "");
      Duration connect = Durations.parse(opt(options, prefix, "connectTimeout",
          options.getOrDefault("ectrans.connectTimeout", "30s")));
      Duration idle = Durations.parse(opt(options, prefix, "idleTimeout",
          options.getOrDefault("ectrans.idleTimeout", "60s")));
      String trust = trustPem(opt(options, prefix, "trustCert", ""));
      boolean validate = Flags.of(opt(options, prefix, "sslValidation", "true"));
      String token = opt(options, prefix, "bearerToken", "");
      String auth = null;
      if (!token.isBlank()) {
        auth = "Bearer " + token.trim();
      } else if (!host.getLogin().isEmpty()) {
        String pair = host.getLogin() + ":" + host.getPassword();
        auth = "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      boolean expect = Flags.of(opt(options, prefix, "expectContinue", "true"));
      return new HttpSettings(scheme, host.getAddress(), port, base, connect, idle, trust, validate, auth,
          parseHeaders(opt(options, prefix, "headers", "")), expect);
    } catch (IllegalArgumentException | IOException e) {
      throw new TransferException(ErrorKind.PROTOCOL, "invalid " + prefix + " options: " + e.getMessage(), e);
    }
  }

  static String opt(Map<String, String> options, String prefix, String name, String def) {
    String v = options.get(prefix + "." + name);
    return v == null || v.isBlank() ? def : v;
  }

  /** Inline PEM text, or the path of a PEM file. */
  private static String trustPem(String value) throws IOException {
    if (value.isBlank() || value.contains("-----BEGIN")) return value;
    return Files.readString(Path.of(value.trim()));
  }

  /** "Name: value" per line (or separated by '|'), e.g. an API key header. */
  private static List<String[]> parseHeaders(String text) {
    List<String[]> out = new ArrayList<>();
    for (String line : text.split("[\\r\\n|]+")) {
      int i = line.indexOf(':');
      if (line.isBlank()) continue;
      if (i <= 0) throw new IllegalArgumentException("header '" + line + "' is not 'Name: value'");
      out.add(new String[] {line.substring(0, i).trim(), line.substring(i + 1).trim()});
    }
    return out;
  }

  /** What decides which shared HttpClient serves a session (TLS trust and connect timeout are per client). */
  String clientKey() {
    return connectTimeout.toMillis() + "|" + sslValidation + "|" + trustCertPem;
  }

  String origin() {
    String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port);
  }
}
