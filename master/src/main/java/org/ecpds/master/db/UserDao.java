package org.ecpds.master.db;

import java.util.List;
import java.util.Optional;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.UserKey;
import org.ecpds.master.domain.WebUser;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
public interface UserDao {
  @SqlUpdate("INSERT INTO incoming_user (name, password_hash, email, enabled, created_ms) "
      + "VALUES (:name, :hash, :email, :enabled, :now)")
  @GetGeneratedKeys("id")
  long insertIncoming(@Bind("name") String name, @Bind("hash") String hash, @Bind("email") String email,
      @Bind("enabled") boolean enabled, @Bind("now") long now);

  @SqlUpdate("UPDATE incoming_user SET password_hash = :hash, email = :email, enabled = :enabled WHERE id = :id")
  int updateIncoming(@Bind("id") long id, @Bind("hash") String hash, @Bind("email") String email,
      @Bind("enabled") boolean enabled);

  @SqlUpdate("DELETE FROM incoming_user WHERE id = :id")
  int deleteIncoming(@Bind("id") long id);

  @SqlQuery("SELECT id, name, password_hash, email, enabled, created_ms FROM incoming_user WHERE name = :name")
  Optional<IncomingUser> incomingByName(@Bind("name") String name);

  @SqlQuery("SELECT id, name, password_hash, email, enabled, created_ms FROM incoming_user ORDER BY name")
  List<IncomingUser> allIncoming();

  @SqlUpdate("INSERT INTO incoming_permission (user_id, destination_id, can_get, can_put, can_delete, can_dir, "
      + "can_mkdir, can_rmdir, can_rename, can_size, can_mtime) "
      + "VALUES (:u, :d, :get, :put, :delete, :dir, :mkdir, :rmdir, :rename, :size, :mtime)")
  void insertPermission(@Bind("u") long userId, @Bind("d") long destinationId, @BindMethods Permission.Rights r);

  @SqlUpdate("INSERT INTO incoming_permission_rule (user_id, destination_id, permission, regex) VALUES (:u, :d, :p, :r)")
  void insertRule(@Bind("u") long userId, @Bind("d") long destinationId, @Bind("p") String permission,
      @Bind("r") String regex);

  @SqlUpdate("DELETE FROM incoming_permission WHERE user_id = :u AND destination_id = :d")
  int deletePermission(@Bind("u") long userId, @Bind("d") long destinationId);

  /** Flags of every permission of the user (rules come from {@link #rulesOf}). */
  @SqlQuery("SELECT p.destination_id, d.name AS destination, p.can_get, p.can_put, p.can_delete, p.can_dir, "
      + "p.can_mkdir, p.can_rmdir, p.can_rename, p.can_size, p.can_mtime "
      + "FROM incoming_permission p JOIN destination d ON d.id = p.destination_id WHERE p.user_id = :u ORDER BY d.name")
  List<PermissionRow> permissionsOf(@Bind("u") long userId);

  @SqlQuery("SELECT destination_id, permission, regex FROM incoming_permission_rule WHERE user_id = :u ORDER BY id")
  List<RuleRow> rulesOf(@Bind("u") long userId);

  record PermissionRow(long destinationId, String destination, boolean canGet, boolean canPut, boolean canDelete,
      boolean canDir, boolean canMkdir, boolean canRmdir, boolean canRename, boolean canSize, boolean canMtime) {}

  record RuleRow(long destinationId, String permission, String regex) {}

  @SqlUpdate("INSERT INTO incoming_user_key (user_id, public_key, fingerprint, created_ms) VALUES (:u, :k, :f, :now)")
  @GetGeneratedKeys("id")
  long insertKey(@Bind("u") long userId, @Bind("k") String publicKey, @Bind("f") String fingerprint,
      @Bind("now") long now);

  @SqlQuery("SELECT id, public_key, fingerprint, created_ms FROM incoming_user_key WHERE user_id = :u ORDER BY id")
  List<UserKey> keysOf(@Bind("u") long userId);

  @SqlQuery("SELECT count(*) FROM incoming_user_key WHERE user_id = :u AND fingerprint = :f")
  int countKey(@Bind("u") long userId, @Bind("f") String fingerprint);

  @SqlUpdate("DELETE FROM incoming_user_key WHERE user_id = :u AND id = :id")
  int deleteKey(@Bind("u") long userId, @Bind("id") long keyId);

  @SqlUpdate("INSERT INTO web_user (name, password_hash, roles, enabled, created_ms) VALUES (:name, :hash, :roles, TRUE, :now)")
  @GetGeneratedKeys("id")
  long insertWebUser(@Bind("name") String name, @Bind("hash") String hash, @Bind("roles") String roles,
      @Bind("now") long now);

  @SqlQuery("SELECT id, name, password_hash, roles, enabled, created_ms FROM web_user WHERE name = :name")
  Optional<WebUser> webUserByName(@Bind("name") String name);

  @SqlQuery("SELECT count(*) FROM web_user")
  int countWebUsers();

  @SqlQuery("SELECT id, name, password_hash, roles, enabled, created_ms FROM web_user ORDER BY name")
  List<WebUser> allWebUsers();

  @SqlUpdate("UPDATE web_user SET password_hash = :hash, roles = :roles, enabled = :enabled WHERE id = :id")
  int updateWebUser(@Bind("id") long id, @Bind("hash") String hash, @Bind("roles") String roles,
      @Bind("enabled") boolean enabled);

  @SqlUpdate("DELETE FROM web_user WHERE id = :id")
  int deleteWebUser(@Bind("id") long id);
}
