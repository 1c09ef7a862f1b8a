package org.ecpds.master.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt password hashes. Successful checks are remembered for a minute (keyed by a SHA-256 of
 * hash + password) so that a burst of CLI calls does not pay bcrypt's cost every time.
 */
public final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long CACHE_MS = 60_000;
  private final int cost;
  private final Map<String, Long> recentlyVerified = new ConcurrentHashMap<>();

  public Passwords(int cost) {
    this.cost = cost;
  }

  public String hash(String password) {
    if (password == null || password.length() < 8) {
      throw new IllegalArgumentException("password must have at least 8 characters");
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, cost);
  }

  public boolean verify(String password, String hash) {
    if (password == null || hash == null || hash.isEmpty()) return false;
    String key = digest(hash + "\u0000" + password);
    long now = System.currentTimeMillis();
    Long until = recentlyVerified.get(key);
    if (until != null && until > now) return true;
    boolean ok;
    try {
      ok = OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    } catch (IllegalArgumentException e) {
      ok = false;
    }
    if (ok) {
      if (recentlyVerified.size() > 10_000) recentlyVerified.clear();
      recentlyVerified.put(key, now + CACHE_MS);
    }
    return ok;
  }

  /** A random password for generated accounts (e.g. the first admin). */
  public static String generate() {
    final String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    return sb.toString();
  }

  private static String digest(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
