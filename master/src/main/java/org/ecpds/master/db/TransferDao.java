package org.ecpds.master.db;

import java.util.List;
import java.util.Optional;
import org.ecpds.master.domain.DataTransfer;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
public interface TransferDao {
  String COLS = "id, data_file_id, destination_id, host_id, mover_id, target, status, priority, queue_ms, start_ms, "
      + "finish_ms, expiry_ms, sent, requeue_count, failure_count, message, user_status, asap, start_count, resumed_from";

  @SqlUpdate("INSERT INTO data_transfer (data_file_id, destination_id, target, status, priority, queue_ms, expiry_ms, "
      + "asap) VALUES (:dataFileId, :destinationId, :target, :status, :priority, :queueMs, :expiryMs, :asap)")
  @GetGeneratedKeys("id")
  long insert(@Bind("dataFileId") long dataFileId, @Bind("destinationId") long destinationId,
      @Bind("target") String target, @Bind("status") String status, @Bind("priority") int priority,
      @Bind("queueMs") long queueMs, @Bind("expiryMs") long expiryMs, @Bind("asap") boolean asap);

  @SqlQuery("SELECT " + COLS + " FROM data_transfer WHERE id = :id")
  Optional<DataTransfer> byId(@Bind("id") long id);

  @SqlQuery("SELECT " + COLS + " FROM data_transfer WHERE id = :id FOR UPDATE")
  Optional<DataTransfer> lockById(@Bind("id") long id);

  /** Writes every mutable column; callers change a transfer only through TransferStore. */
  @SqlUpdate("UPDATE data_transfer SET host_id = :hostId, mover_id = :moverId, status = :status, priority = :priority, "
      + "queue_ms = :queueMs, start_ms = :startMs, finish_ms = :finishMs, sent = :sent, requeue_count = :requeueCount, "
      + "failure_count = :failureCount, message = :message, user_status = :userStatus, start_count = :startCount, "
      + "resumed_from = :resumedFrom WHERE id = :id")
  int update(@BindMethods DataTransfer t);

  /** The group-commit form: the same update, only if the row is still in the expected status. */
  String UPDATE_IF = "UPDATE data_transfer SET host_id = :hostId, mover_id = :moverId, status = :status, "
      + "priority = :priority, queue_ms = :queueMs, start_ms = :startMs, finish_ms = :finishMs, sent = :sent, "
      + "requeue_count = :requeueCount, failure_count = :failureCount, message = :message, user_status = :userStatus, "
      + "start_count = :startCount, resumed_from = :resumedFrom WHERE id = :id AND status = :expected";

  @SqlQuery("SELECT COUNT(*) FROM data_transfer WHERE destination_id = :d AND status IN (<statuses>)")
  long count(@Bind("d") long destinationId, @org.jdbi.v3.sqlobject.customizer.BindList("statuses") List<String> statuses);

  @SqlQuery("SELECT " + COLS + " FROM data_transfer WHERE status IN (<statuses>) ORDER BY destination_id, priority, queue_ms, id")
  List<DataTransfer> byStatuses(@org.jdbi.v3.sqlobject.customizer.BindList("statuses") List<String> statuses);

  @SqlQuery("SELECT " + COLS + " FROM data_transfer WHERE destination_id = :d ORDER BY id DESC LIMIT :limit")
  List<DataTransfer> byDestination(@Bind("d") long destinationId, @Bind("limit") int limit);

  @SqlQuery("SELECT " + COLS + " FROM data_transfer WHERE destination_id = :d AND status = :s ORDER BY id DESC LIMIT :limit")
  List<DataTransfer> byDestinationAndStatus(@Bind("d") long destinationId, @Bind("s") String status,
      @Bind("limit") int limit);

  @SqlQuery("SELECT " + COLS + " FROM data_transfer WHERE data_file_id = :f ORDER BY id")
  List<DataTransfer> byDataFile(@Bind("f") long dataFileId);

  @SqlQuery("SELECT " + COLS + " FROM data_transfer WHERE data_file_id IN (<f>) ORDER BY id")
  List<DataTransfer> byDataFiles(@org.jdbi.v3.sqlobject.customizer.BindList("f") java.util.Collection<Long> dataFileIds);

  /**
   * {@link #byDataFiles} on a handle without attaching this SQL object: an attach copies the handle's
   * configuration and cost more than the query on the retrieval scheduler's hot path.
   */
  static List<DataTransfer> byDataFiles(org.jdbi.v3.core.Handle h, java.util.Collection<Long> dataFileIds) {
    return h.createQuery("SELECT " + COLS + " FROM data_transfer WHERE data_file_id IN (<f>) ORDER BY id")
        .bindList("f", dataFileIds).mapTo(DataTransfer.class).list();
  }

  @SqlQuery("SELECT status, count(*) FROM data_transfer WHERE destination_id = :d GROUP BY status")
  @org.jdbi.v3.sqlobject.config.KeyColumn("status")
  @org.jdbi.v3.sqlobject.config.ValueColumn("count(*)")
  java.util.Map<String, Long> countsByStatus(@Bind("d") long destinationId);
}
