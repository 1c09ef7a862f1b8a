package org.ecpds.master.db;

import java.util.Optional;
import org.ecpds.master.domain.DataFile;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
public interface DataFileDao {
  String COLS = "id, destination_id, source, target, size, sha256, arrived, arrived_ms, mover_id, volume, "
      + "metadata_json, priority, standby, caller, created_ms, expiry_ms, scheduled_ms, asap";

  default long insert(DataFile f) {
    return insert(f, false, "");
  }

  /** The columns every new data file sets, and their values bound from the DataFile, the event flag and the portal protocol. */
  String NEW_COLS = "destination_id, source, target, size, sha256, arrived, arrived_ms, mover_id, "
      + "volume, metadata_json, priority, standby, caller, created_ms, expiry_ms, scheduled_ms, asap, event, portal_protocol";
  String NEW_VALUES = ":destinationId, :source, :target, :size, :sha256, :arrived, :arrivedMs, :moverId, :volume, "
      + ":metadataJson, :priority, :standby, :caller, :createdMs, :expiryMs, :scheduledMs, :asap, :event, :portalProtocol";

  /** A data file with its notification flag and the portal protocol that uploaded it ("" for none), in one statement. */
  @SqlUpdate("INSERT INTO data_file (" + NEW_COLS + ") VALUES (" + NEW_VALUES + ")")
  @GetGeneratedKeys("id")
  long insert(@BindMethods DataFile f, @Bind("event") boolean event, @Bind("portalProtocol") String portalProtocol);

  /**
   * A data file registered by its source location, with its fetch state, in one statement (its
   * duplicate check, a query on those columns, then sees it at once, even within the same batch).
   */
  @SqlUpdate("INSERT INTO data_file (" + NEW_COLS + ", source_host_id, fetch_status, group_by, delete_original, "
      + "fetch_due_ms) VALUES (" + NEW_VALUES + ", :sourceHostId, :fetchStatus, :groupBy, :deleteOriginal, :fetchDueMs)")
  @GetGeneratedKeys("id")
  long insertPreset(@BindMethods DataFile f, @Bind("event") boolean event, @Bind("portalProtocol") String portalProtocol,
      @Bind("sourceHostId") long sourceHostId, @Bind("fetchStatus") String fetchStatus, @Bind("groupBy") String groupBy,
      @Bind("deleteOriginal") boolean deleteOriginal, @Bind("fetchDueMs") long fetchDueMs);

  @SqlQuery("SELECT " + COLS + " FROM data_file WHERE id = :id")
  Optional<DataFile> byId(@Bind("id") long id);

  /** Marks the content stored; only the first report for a not-yet-arrived file counts. */
  @SqlUpdate("UPDATE data_file SET arrived = TRUE, arrived_ms = :now, size = :size, sha256 = :sha, volume = :volume "
      + "WHERE id = :id AND arrived = FALSE AND mover_id = :mover")
  int markArrived(@Bind("id") long id, @Bind("mover") long moverId, @Bind("size") long size,
      @Bind("sha") String sha256, @Bind("volume") String volume, @Bind("now") long now);
}
