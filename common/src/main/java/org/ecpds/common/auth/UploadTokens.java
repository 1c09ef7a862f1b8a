package org.ecpds.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time upload tokens: the master signs "dataFileId:expiry" with the cluster secret, the mover
 * checks the signature and expiry without a round trip. One use per data file is enforced by the
 * mover (a stored data file is never overwritten) and by the master (a stored file is acknowledged once).
 */
public final class UploadTokens {
  private final byte[] key;

  public UploadTokens(String clusterSecret) {
    this(clusterSecret, "upload");
  }

  /**
   * Tokens for another purpose (a token of one purpose never verifies for another): "peer-read" is a
   * mover reading stored content from another mover, signed by the reading mover itself.
   */
  public UploadTokens(String clusterSecret, String purpose) {
    this.key = ("ecpds-" + purpose + ":" + clusterSecret).getBytes(StandardCharsets.UTF_8);
  }

  public static UploadTokens peerReads(String clusterSecret) {
    return new UploadTokens(clusterSecret, "peer-read");
  }

  public String issue(long dataFileId, long expiresAtMillis) {
    return expiresAtMillis + "." + mac(dataFileId, expiresAtMillis);
  }

  /** True when the token was issued for this data file and has not expired. */
  public boolean verify(long dataFileId, String token, long nowMillis) {
    if (token == null) return false;
    int dot = token.indexOf('.');
    if (dot <= 0) return false;
    long expiry;
    try {
      expiry = Long.parseLong(token.substring(0, dot));
    } catch (NumberFormatException e) {
      return false;
    }
    if (nowMillis > expiry) return false;
    byte[] expected = mac(dataFileId, expiry).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
  }

  private String mac(long id, long expiry) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((id + ":" + expiry).getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
