package org.ecpds.master.db;

import java.util.List;
import org.ecpds.master.domain.HistoryRow;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
public interface HistoryDao {
  @SqlUpdate("INSERT INTO transfer_history (transfer_id, status, time_ms, host_id, comment, user_name) "
      + "VALUES (:t, :s, :time, :host, :comment, :user)")
  void insert(@Bind("t") long transferId, @Bind("s") String status, @Bind("time") long timeMs,
      @Bind("host") Long hostId, @Bind("comment") String comment, @Bind("user") String user);

  @SqlQuery("SELECT id, transfer_id, status, time_ms, host_id, comment, user_name FROM transfer_history "
      + "WHERE transfer_id = :t ORDER BY id")
  List<HistoryRow> of(@Bind("t") long transferId);
}
