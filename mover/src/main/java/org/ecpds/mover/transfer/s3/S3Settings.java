package org.ecpds.mover.transfer.s3;

import org.ecpds.mover.transfer.Flags;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.ecpds.common.config.Durations;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/** A session's S3 options, parsed once at connect (see {@link S3Module} for their meaning). */
record S3Settings(String endpoint, boolean aws, String region, boolean pathStyle, String bucket, String prefix,
    int partSize, int uploadThreads, boolean mkBucket, boolean sslValidation, Duration connectTimeout,
    Duration idleTimeout) {

  static final int MIN_PART = 5 << 20; // S3's minimum for every part but the last
  static final int MAX_PART = 1 << 30; // our cap: a part is one heap buffer
  static final int DEFAULT_PART = 16 << 20;

  static S3Settings of(HostSpec host, Map<String, String> o) throws TransferException {
    try {
      String endpoint = endpoint(host, o);
      boolean aws = endpoint.toLowerCase(Locale.ROOT).contains("amazonaws.com");
      String region = blankToNull(o.get("s3.region"));
      if (region == null && !aws) region = "us-east-1"; // AWS: let the client ask GetBucketLocation
      boolean pathStyle = Flags.of(o.getOrDefault("s3.enablePathStyleAccess", String.valueOf(!aws)));
      int part = (int) Math.min(MAX_PART, Math.max(MIN_PART, sizeOf(o.getOrDefault("s3.partSize", DEFAULT_PART + ""))));
      int threads = Math.max(1, Integer.parseInt(o.getOrDefault("s3.numUploadThreads", "4").trim()));
      return new S3Settings(endpoint, aws, region, pathStyle, blankToNull(o.get("s3.bucketName")),
          prefix(o.get("s3.prefix")), part, threads, Flags.of(o.getOrDefault("s3.mkBucket", "false")),
          Flags.of(o.getOrDefault("s3.sslValidation", "true")),
          duration(o, "s3.connectTimeout", "ectrans.connectTimeout", "30s"),
          duration(o, "s3.idleTimeout", "ectrans.idleTimeout", "60s"));
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

  /** "16m", "16MiB", "1g", "512k", plain bytes; a bare number below 1024 is MiB as in OpenECPDS ("10"). */
  static long sizeOf(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    long unit = 1;
    if (t.endsWith("k")) unit = 1L << 10;
    else if (t.endsWith("m")) unit = 1L << 20;
    else if (t.endsWith("g")) unit = 1L << 30;
    if (unit > 1) t = t.substring(0, t.length() - 1).trim();
    long n = Long.parseLong(t);
    if (unit == 1 && n < 1024) unit = 1L << 20;
    return n * unit;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
