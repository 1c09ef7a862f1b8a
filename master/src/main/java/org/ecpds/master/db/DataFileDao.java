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

  /** A data file with its notification flag and the portal protocol that uploaded it ("" for none), in one statement. */
  @SqlUpdate("INSERT INTO data_file (destination_id, source, target, size, sha256, arrived, arrived_ms, mover_id, "
      + "volume, metadata_json, priority, standby, caller, created_ms, expiry_ms, scheduled_ms, asap, event, "
      + "portal_protocol) VALUES "
      + "(:destinationId, :source, :target, :size, :sha256, :arrived, :arrivedMs, :moverId, :volume, :metadataJson, "
      + ":priority, :standby, :caller, :createdMs, :expiryMs, :scheduledMs, :asap, :event, :portalProtocol)")
  @GetGeneratedKeys("id")
  long insert(@BindMethods DataFile f, @Bind("event") boolean event, @Bind("portalProtocol") String portalProtocol);

  @SqlQuery("SELECT " + COLS + " FROM data_file WHERE id = :id")
  Optional<DataFile> byId(@Bind("id") long id);

  /** Marks the content stored; only the first report for a not-yet-arrived file counts. */
  @SqlUpdate("UPDATE data_file SET arrived = TRUE, arrived_ms = :now, size = :size, sha256 = :sha, volume = :volume "
      + "WHERE id = :id AND arrived = FALSE AND mover_id = :mover")
  int markArrived(@Bind("id") long id, @Bind("mover") long moverId, @Bind("size") long size,
      @Bind("sha") String sha256, @Bind("volume") String volume, @Bind("now") long now);
}
