package org.ecpds.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process's configuration: a properties file, overridden by environment variables
 * (key "master.grpc.port" is overridden by ECPDS_MASTER_GRPC_PORT), overridden by explicit values.
 */
public final class Config {
  private final Properties props = new Properties();
  private final Map<String, String> env;
  /** Keys some component asked for, shared by copies: what was never asked for is a typo or a stale key. */
  private final Set<String> asked;

  public Config(Properties base, Map<String, String> env) {
    this(base, env, ConcurrentHashMap.newKeySet());
  }

  private Config(Properties base, Map<String, String> env, Set<String> asked) {
    props.putAll(base);
    this.env = env;
    this.asked = asked;
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
    return new Config(props, env, asked);
  }

  /** Keys set in the file that no component read (call after start-up): most often a misspelt key. */
  public Set<String> unreadKeys() {
    Set<String> unread = new TreeSet<>();
    for (String k : props.stringPropertyNames()) if (!asked.contains(k)) unread.add(k);
    return unread;
  }

  public String get(String key, String def) {
    asked.add(key);
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

  /** A whole number within [min, max]; anything else is refused naming the key and the bounds. */
  public int getInt(String key, int def, int min, int max) {
    String v = get(key, null);
    if (v == null) return def;
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("configuration key " + key + " must be a whole number, not '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("configuration key " + key + " must be between " + min + " and " + max
          + ", not " + n);
    }
    return n;
  }

  /** A count, size or cost: never negative. */
  public int getInt(String key, int def) {
    return getInt(key, def, 0, Integer.MAX_VALUE);
  }

  /** A port to listen on: 0 asks the system for a free one, -1 turns the listener off. */
  public int getPort(String key, int def) {
    return getInt(key, def, -1, 65_535);
  }

  /** A port to connect to. */
  public int getRemotePort(String key, int def) {
    return getInt(key, def, 1, 65_535);
  }

  /** Only "true" or "false": a "yes" or a typo must not silently mean false. */
  public boolean getBoolean(String key, boolean def) {
    String v = get(key, null);
    if (v == null) return def;
    if (v.equalsIgnoreCase("true")) return true;
    if (v.equalsIgnoreCase("false")) return false;
    throw new IllegalArgumentException("configuration key " + key + " must be true or false, not '" + v + "'");
  }

  public Duration getDuration(String key, Duration def) {
    String v = get(key, null);
    try {
      return v == null ? def : Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("configuration key " + key + ": " + e.getMessage(), e);
    }
  }

  public Path getPath(String key, Path def) {
    String v = get(key, null);
    return v == null ? def : Path.of(v);
  }
}
