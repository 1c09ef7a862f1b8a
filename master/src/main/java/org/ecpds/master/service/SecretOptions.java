package org.ecpds.master.service;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Host options that hold credentials (private keys, passwords, tokens, extra HTTP headers that may
 * carry API keys): encrypted at rest like the
 * host password, and shown as {@link #MASK} by the API.
 */
public final class SecretOptions {
  public static final String MASK = "***";
  private static final String[] SECRET_SUFFIXES = {"password", "privatekey", "secret", "token", "credential",
      "passphrase", "secretkey", "headers"};

  private SecretOptions() {}

  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String s : SECRET_SUFFIXES) {
      if (k.endsWith(s)) return true;
    }
    return false;
  }

  /** Applies f to the values of secret keys only. */
  public static Map<String, String> mapSecrets(Map<String, String> options, UnaryOperator<String> f) {
    Map<String, String> out = new LinkedHashMap<>();
    if (options == null) return out;
    options.forEach((k, v) -> out.put(k, isSecret(k) && v != null && !v.isEmpty() ? f.apply(v) : v));
    return out;
  }

  /** For updates: a masked value sent back unchanged keeps the stored (encrypted) one. */
  public static Map<String, String> merge(Map<String, String> incoming, Map<String, String> storedEncrypted,
      UnaryOperator<String> encrypt) {
    Map<String, String> out = new LinkedHashMap<>();
    incoming.forEach((k, v) -> {
      if (isSecret(k) && MASK.equals(v) && storedEncrypted.containsKey(k)) {
        out.put(k, storedEncrypted.get(k));
      } else {
        out.put(k, isSecret(k) && v != null && !v.isEmpty() ? encrypt.apply(v) : v);
      }
    });
    return out;
  }
}
