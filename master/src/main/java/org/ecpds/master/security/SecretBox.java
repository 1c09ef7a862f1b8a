package org.ecpds.master.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Encrypts host credentials at rest with AES-256-GCM under the master key ("v1:" + base64(iv|ct)). */
public final class SecretBox {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  public SecretBox(byte[] key32) {
    if (key32.length != 32) throw new IllegalArgumentException("master key must be 32 bytes");
    this.key = new SecretKeySpec(key32, "AES");
  }

  public static SecretBox fromBase64(String b64) {
    return new SecretBox(Base64.getUrlDecoder().decode(b64.trim()));
  }

  public String encrypt(String plain) {
    if (plain == null || plain.isEmpty()) return "";
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      return "v1:" + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + ct.length).put(iv).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String decrypt(String stored) {
    if (stored == null || stored.isEmpty()) return "";
    if (!stored.startsWith("v1:")) throw new IllegalStateException("unknown secret format");
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(3));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
      return new String(c.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot decrypt a host secret (wrong master key?)", e);
    }
  }
}
