package org.ecpds.master.db;

import java.util.List;
import java.util.Optional;
import org.ecpds.master.domain.Destination;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
public interface DestinationDao {
  String COLS = "id, name, comment, enabled, max_connections, retry_count, retry_frequency_ms, max_requeue, "
      + "on_host_failure, created_ms, max_start, start_frequency_ms, max_pending, max_file_size, reset_frequency_ms, "
      + "if_target_exists, delete_from_spool, properties, dispatch_state, state_user";

  @SqlUpdate("INSERT INTO destination (name, comment, enabled, max_connections, retry_count, retry_frequency_ms, "
      + "max_requeue, on_host_failure, created_ms, max_start, start_frequency_ms, max_pending, max_file_size, "
      + "reset_frequency_ms, if_target_exists, delete_from_spool, properties) VALUES (:name, :comment, :enabled, "
      + ":maxConnections, :retryCount, :retryFrequencyMs, :maxRequeue, :onHostFailure, :createdMs, :maxStart, "
      + ":startFrequencyMs, :maxPending, :maxFileSize, :resetFrequencyMs, :ifTargetExists, :deleteFromSpool, :properties)")
  @GetGeneratedKeys("id")
  long insert(@BindMethods Destination d);

  @SqlUpdate("UPDATE destination SET comment = :comment, enabled = :enabled, max_connections = :maxConnections, "
      + "retry_count = :retryCount, retry_frequency_ms = :retryFrequencyMs, max_requeue = :maxRequeue, "
      + "on_host_failure = :onHostFailure, max_start = :maxStart, start_frequency_ms = :startFrequencyMs, "
      + "max_pending = :maxPending, max_file_size = :maxFileSize, reset_frequency_ms = :resetFrequencyMs, "
      + "if_target_exists = :ifTargetExists, delete_from_spool = :deleteFromSpool, properties = :properties "
      + "WHERE id = :id")
  int update(@BindMethods Destination d);

  @SqlUpdate("UPDATE destination SET dispatch_state = :state, state_user = :user WHERE id = :id")
  int setDispatchState(@Bind("id") long id, @Bind("state") String state, @Bind("user") String user);

  @SqlUpdate("DELETE FROM destination WHERE id = :id")
  int delete(@Bind("id") long id);

  @SqlQuery("SELECT " + COLS + " FROM destination WHERE name = :name")
  Optional<Destination> byName(@Bind("name") String name);

  @SqlQuery("SELECT " + COLS + " FROM destination WHERE id = :id")
  Optional<Destination> byId(@Bind("id") long id);

  @SqlQuery("SELECT " + COLS + " FROM destination ORDER BY name")
  List<Destination> all();

  @SqlQuery("SELECT target_destination_id FROM alias WHERE destination_id = :id")
  List<Long> aliasTargets(@Bind("id") long id);

  @SqlUpdate("INSERT INTO alias (destination_id, target_destination_id, pattern) VALUES (:src, :dst, :spec)")
  void addAlias(@Bind("src") long src, @Bind("dst") long dst, @Bind("spec") String spec);

  @SqlUpdate("UPDATE alias SET pattern = :spec WHERE destination_id = :src AND target_destination_id = :dst")
  int updateAlias(@Bind("src") long src, @Bind("dst") long dst, @Bind("spec") String spec);

  /** Every alias edge with its spec (alias.pattern), for the arrival rules and the cycle check. */
  @SqlQuery("SELECT destination_id, target_destination_id, pattern FROM alias")
  List<AliasRow> allAliases();

  record AliasRow(long destinationId, long targetDestinationId, String pattern) {}

  @SqlUpdate("DELETE FROM alias WHERE destination_id = :src AND target_destination_id = :dst")
  int removeAlias(@Bind("src") long src, @Bind("dst") long dst);
}
