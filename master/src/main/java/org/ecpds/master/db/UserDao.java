package org.ecpds.master.db;

import java.util.List;
import java.util.Optional;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.WebUser;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(IncomingUser.class)
@RegisterConstructorMapper(WebUser.class)
@RegisterConstructorMapper(Permission.class)
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

  @SqlUpdate("INSERT INTO incoming_permission (user_id, destination_id, can_get, can_put, can_delete, can_dir) "
      + "VALUES (:u, :d, :get, :put, :del, :dir)")
  void insertPermission(@Bind("u") long userId, @Bind("d") long destinationId, @Bind("get") boolean get,
      @Bind("put") boolean put, @Bind("del") boolean delete, @Bind("dir") boolean dir);

  @SqlUpdate("DELETE FROM incoming_permission WHERE user_id = :u AND destination_id = :d")
  int deletePermission(@Bind("u") long userId, @Bind("d") long destinationId);

  @SqlQuery("SELECT p.user_id, p.destination_id, d.name AS destination, p.can_get, p.can_put, p.can_delete, p.can_dir "
      + "FROM incoming_permission p JOIN destination d ON d.id = p.destination_id WHERE p.user_id = :u ORDER BY d.name")
  List<Permission> permissionsOf(@Bind("u") long userId);

  @SqlUpdate("INSERT INTO web_user (name, password_hash, roles, enabled, created_ms) VALUES (:name, :hash, :roles, TRUE, :now)")
  @GetGeneratedKeys("id")
  long insertWebUser(@Bind("name") String name, @Bind("hash") String hash, @Bind("roles") String roles,
      @Bind("now") long now);

  @SqlQuery("SELECT id, name, password_hash, roles, enabled, created_ms FROM web_user WHERE name = :name")
  Optional<WebUser> webUserByName(@Bind("name") String name);

  @SqlQuery("SELECT count(*) FROM web_user")
  int countWebUsers();
}
