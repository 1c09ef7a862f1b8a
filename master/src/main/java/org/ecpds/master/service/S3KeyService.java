package org.ecpds.master.service;

import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.ecpds.master.db.Database;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.domain.S3Key;
import org.ecpds.master.security.SecretBox;

/**
 * S3 access keys for the Data Portal's S3 API. The master makes the key pair (nobody chooses a weak
 * secret), returns the secret once, and keeps it encrypted; portals ask for it by access key id to
 * verify SigV4 signatures themselves (the secret never travels in a request).
 */
public final class S3KeyService {
  private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final char[] SECRET_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
  private final SecureRandom random = new SecureRandom();
  private final Database db;
  private final UserService users;
  private final SecretBox secrets;

  public S3KeyService(Database db, UserService users, SecretBox secrets) {
    this.db = db;
    this.users = users;
    this.secrets = secrets;
  }

  /** A credential found by its access key id: the enabled user it belongs to and the secret. */
  public record Credential(IncomingUser user, String secretKey) {}

  public S3Key create(String user) {
    IncomingUser u = users.incoming(user);
    String accessKeyId = "EC" + token(ID_CHARS, 18);
    String secret = token(SECRET_CHARS, 40);
    long now = System.currentTimeMillis();
    long id = db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO incoming_user_s3_key "
        + "(user_id, access_key_id, secret_enc, created_ms) VALUES (:u, :a, :s, :now)")
        .bind("u", u.id()).bind("a", accessKeyId).bind("s", secrets.encrypt(secret)).bind("now", now)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    return new S3Key(id, u.name(), accessKeyId, secret, now);
  }

  /** The user's keys, without their secrets. */
  public List<S3Key> list(String user) {
    IncomingUser u = users.incoming(user);
    return db.jdbi().withHandle(h -> h.createQuery(
        "SELECT id, access_key_id, created_ms FROM incoming_user_s3_key WHERE user_id = :u ORDER BY id")
        .bind("u", u.id())
        .map((rs, ctx) -> new S3Key(rs.getLong("id"), u.name(), rs.getString("access_key_id"), null,
            rs.getLong("created_ms"))).list());
  }

  public void delete(String user, long keyId) {
    IncomingUser u = users.incoming(user);
    int n = db.jdbi().withHandle(h -> h.createUpdate("DELETE FROM incoming_user_s3_key WHERE user_id = :u AND id = :id")
        .bind("u", u.id()).bind("id", keyId).execute());
    if (n == 0) throw new NotFoundException("user " + user + " has no S3 key " + keyId);
  }

  /** The enabled user holding this access key, with its secret; empty for anything else. */
  public Optional<Credential> credential(String accessKeyId) {
    if (accessKeyId == null || accessKeyId.isEmpty() || accessKeyId.length() > 64) return Optional.empty();
    return db.jdbi().withHandle(h -> h.createQuery(
        "SELECT u.name, k.secret_enc FROM incoming_user_s3_key k JOIN incoming_user u ON u.id = k.user_id "
            + "WHERE k.access_key_id = :a")
        .bind("a", accessKeyId).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).findOne())
        .flatMap(row -> users.findIncoming(row[0]).filter(IncomingUser::enabled)
            .map(u -> new Credential(u, secrets.decrypt(row[1]))));
  }

  private String token(char[] alphabet, int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) out[i] = alphabet[random.nextInt(alphabet.length)];
    return new String(out);
  }
}
