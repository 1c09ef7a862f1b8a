package org.ecpds.mover.transfer.s3;

import org.ecpds.mover.transfer.Flags;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ecpds.common.config.Durations;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/** A session's S3 options, parsed once at connect (see {@link S3Module} for their meaning). */
record S3Settings(String endpoint, boolean aws, String region, boolean pathStyle, String bucket, String prefix,
    int partSize, int uploadThreads, boolean mkBucket, boolean sslValidation, Duration connectTimeout,
    Duration idleTimeout, int batchParallelism) {

  static final int MIN_PART = 5 << 20; // S3's minimum for every part but the last
  static final int MAX_PART = 1 << 30; // our cap: a part is one heap buffer
  static final int DEFAULT_PART = 16 << 20;
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]?)(?:i?b)?");

  static S3Settings of(HostSpec host, Map<String, String> o) throws TransferException {
    try {
      String endpoint = endpoint(host, o);
      boolean aws = endpoint.toLowerCase(Locale.ROOT).contains("amazonaws.com");
      String region = blankToNull(o.get("s3.region"));
      if (region == null && !aws) region = "us-east-1"; // AWS: let the client ask GetBucketLocation
      boolean pathStyle = Flags.of(o.getOrDefault("s3.enablePathStyleAccess", String.valueOf(!aws)));
      int part = (int) Math.min(MAX_PART, Math.max(MIN_PART, sizeOf(o.getOrDefault("s3.partSize", DEFAULT_PART + ""))));
      int threads = Math.max(1, Integer.parseInt(o.getOrDefault("s3.numUploadThreads", "4").trim()));
      int batch = Integer.parseInt(o.getOrDefault("s3.batchParallelism", "8").trim());
      if (batch < 1 || batch > 64) throw new IllegalArgumentException("s3.batchParallelism must be 1-64, got " + batch);
      return new S3Settings(endpoint, aws, region, pathStyle, blankToNull(o.get("s3.bucketName")),
          prefix(o.get("s3.prefix")), part, threads, Flags.of(o.getOrDefault("s3.mkBucket", "false")),
          Flags.of(o.getOrDefault("s3.sslValidation", "true")),
          duration(o, "s3.connectTimeout", "ectrans.connectTimeout", "30s"),
          duration(o, "s3.idleTimeout", "ectrans.idleTimeout", "60s"), batch);
    } catch (IllegalArgumentException e) {
      throw new TransferException(ErrorKind.PROTOCOL, "invalid S3 option: " + e.getMessage(), e);
    }
  }

  /** {@code s3.url} wins; otherwise {@code s3.scheme}://address[:port] (https by default). */
  private static String endpoint(HostSpec host, Map<String, String> o) {
    String url = blankToNull(o.get("s3.url"));
    if (url != null) return url.contains("://") ? url : "https://" + url;
    if (host.getAddress().isBlank()) throw new IllegalArgumentException("set s3.url or the host address");
    String scheme = o.getOrDefault("s3.scheme", "https").trim().toLowerCase(Locale.ROOT);
    return scheme + "://" + host.getAddress().trim() + (host.getPort() > 0 ? ":" + host.getPort() : "");
  }

  private static String prefix(String p) {
    if (p == null) return "";
    String s = p.trim().replace('\\', '/').replaceAll("^/+", "");
    return s.isEmpty() || s.endsWith("/") ? s : s + "/";
  }

  private static Duration duration(Map<String, String> o, String key, String generic, String def) {
    return Durations.parse(o.getOrDefault(key, o.getOrDefault(generic, def)));
  }

  /**
   * "16m", "16MiB", "1g", "512k", plain bytes; a bare number below 1024 is MiB as in OpenECPDS ("10").
   * Anything else, a negative size or one beyond a long is an IllegalArgumentException (never a wrapped value).
   */
  static long sizeOf(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) throw new IllegalArgumentException("invalid size '" + text + "' (use e.g. 16m, 16MiB, 1g, 512k or bytes)");
    long unit = switch (m.group(2)) {
      case "k" -> 1L << 10;
      case "m" -> 1L << 20;
      case "g" -> 1L << 30;
      default -> 1L;
    };
    try {
      long n = Long.parseLong(m.group(1));
      if (unit == 1 && n < 1024) unit = 1L << 20;
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
