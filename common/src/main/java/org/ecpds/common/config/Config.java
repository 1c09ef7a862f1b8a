package org.ecpds.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * One process's configuration: a properties file, overridden by environment variables
 * (key "master.grpc.port" is overridden by ECPDS_MASTER_GRPC_PORT), overridden by explicit values.
 */
public final class Config {
  private final Properties props = new Properties();
  private final Map<String, String> env;

  public Config(Properties base, Map<String, String> env) {
    props.putAll(base);
    this.env = env;
  }

  public static Config empty() {
    return new Config(new Properties(), Map.of());
  }

  public static Config load(Path file) {
    Properties p = new Properties();
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
      }
    }
    return new Config(p, System.getenv());
  }

  public Config with(String key, Object value) {
    props.setProperty(key, String.valueOf(value));
    return this;
  }

  /** Sets a value only when the file did not set one (environment overrides still win). */
  public Config withDefault(String key, Object value) {
    if (props.getProperty(key) == null) props.setProperty(key, String.valueOf(value));
    return this;
  }

  /** A copy, so that one file can feed several components with different defaults. */
  public Config copy() {
    return new Config(props, env);
  }

  public String get(String key, String def) {
    String fromEnv = env.get("ECPDS_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    if (fromEnv != null && !fromEnv.isEmpty()) return fromEnv;
    String v = props.getProperty(key);
    return v == null || v.isBlank() ? def : v.trim();
  }

  public String require(String key) {
    String v = get(key, null);
    if (v == null) throw new IllegalArgumentException("missing configuration key: " + key);
    return v;
  }

  public int getInt(String key, int def) {
    String v = get(key, null);
    try {
      return v == null ? def : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration key " + key + " is not a number: " + v);
    }
  }

  public boolean getBoolean(String key, boolean def) {
    String v = get(key, null);
    return v == null ? def : Boolean.parseBoolean(v);
  }

  public Duration getDuration(String key, Duration def) {
    String v = get(key, null);
    return v == null ? def : Durations.parse(v);
  }

  public Path getPath(String key, Path def) {
    String v = get(key, null);
    return v == null ? def : Path.of(v);
  }
}
