package org.ecpds.master.security;

import java.security.PublicKey;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * Public keys in OpenSSH authorized_keys form ("ssh-ed25519 AAAA... comment"), parsed by MINA SSHD
 * so that only a key a real SSH server would accept is stored. A key is identified by its SHA256
 * fingerprint, whatever its comment or options.
 */
public final class PublicKeys {
  /** A parsed key: the text as stored (type, data and comment, without login options) and its fingerprint. */
  public record Parsed(String text, String fingerprint) {}

  private PublicKeys() {}

  /** Throws IllegalArgumentException (a 400, or a refused login) for anything that is not one valid key. */
  public static Parsed parse(String line) {
    if (line == null || line.isBlank()) throw new IllegalArgumentException("key is required");
    String trimmed = line.strip();
    if (trimmed.contains("\n") || trimmed.contains("\r")) throw new IllegalArgumentException("key must be one line");
    AuthorizedKeyEntry entry;
    PublicKey key;
    try {
      entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(trimmed);
      if (entry == null) throw new IllegalArgumentException("key is empty");
      key = entry.resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid public key: " + e.getMessage(), e);
    } catch (java.io.IOException | java.security.GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("invalid public key: " + e.getMessage(), e);
    }
    if (key == null) throw new IllegalArgumentException("invalid public key: unsupported key type " + entry.getKeyType());
    String comment = entry.getComment() == null ? "" : entry.getComment().strip();
    String text = entry.getKeyType() + " " + java.util.Base64.getEncoder().encodeToString(entry.getKeyData())
        + (comment.isEmpty() ? "" : " " + comment);
    return new Parsed(text, KeyUtils.getFingerPrint(key));
  }
}
