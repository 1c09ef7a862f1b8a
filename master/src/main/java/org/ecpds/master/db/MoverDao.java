package org.ecpds.master.db;

import java.util.List;
import java.util.Optional;
import org.ecpds.master.domain.MoverRecord;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
public interface MoverDao {
  @SqlQuery("SELECT id, name, online, upload_url, max_transfers, last_seen_ms FROM mover WHERE name = :name")
  Optional<MoverRecord> byName(@Bind("name") String name);

  @SqlQuery("SELECT id, name, online, upload_url, max_transfers, last_seen_ms FROM mover ORDER BY name")
  List<MoverRecord> all();

  @SqlUpdate("INSERT INTO mover (name, online, upload_url, max_transfers, last_seen_ms) VALUES (:name, TRUE, :url, :max, :now)")
  @GetGeneratedKeys("id")
  long insert(@Bind("name") String name, @Bind("url") String uploadUrl, @Bind("max") int maxTransfers,
      @Bind("now") long now);

  @SqlUpdate("UPDATE mover SET online = :online, upload_url = :url, max_transfers = :max, last_seen_ms = :now WHERE id = :id")
  int update(@Bind("id") long id, @Bind("online") boolean online, @Bind("url") String uploadUrl,
      @Bind("max") int maxTransfers, @Bind("now") long now);

  @SqlUpdate("UPDATE mover SET online = FALSE")
  int markAllOffline();
}
