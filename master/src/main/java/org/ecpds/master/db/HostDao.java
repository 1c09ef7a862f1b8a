package org.ecpds.master.db;

import java.util.List;
import java.util.Optional;
import org.ecpds.master.domain.Host;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

public interface HostDao {
  String COLS = "h.id, h.name, h.type, h.transfer_method, h.address, h.port, h.login, h.password_enc, h.directory, "
      + "h.options_json, h.enabled, h.created_ms, h.max_connections, "
      + "h.acquisition_frequency_ms";

  @SqlUpdate("INSERT INTO host (name, type, transfer_method, address, port, login, password_enc, directory, "
      + "options_json, enabled, created_ms, max_connections, acquisition_frequency_ms) VALUES (:name, :type, :method, "
      + ":address, :port, :login, :passwordEnc, :directory, :optionsJson, :enabled, :createdMs, :maxConnections, "
      + ":acquisitionFrequencyMs)")
  @GetGeneratedKeys("id")
  long insert(@Bind("name") String name, @Bind("type") String type, @Bind("method") String method,
      @Bind("address") String address, @Bind("port") int port, @Bind("login") String login,
      @Bind("passwordEnc") String passwordEnc, @Bind("directory") String directory,
      @Bind("optionsJson") String optionsJson, @Bind("enabled") boolean enabled, @Bind("createdMs") long createdMs,
      @Bind("maxConnections") int maxConnections, @Bind("acquisitionFrequencyMs") long acquisitionFrequencyMs);

  @SqlUpdate("UPDATE host SET type = :type, transfer_method = :method, address = :address, port = :port, "
      + "login = :login, password_enc = :passwordEnc, directory = :directory, options_json = :optionsJson, "
      + "enabled = :enabled, max_connections = :maxConnections, "
      + "acquisition_frequency_ms = :acquisitionFrequencyMs WHERE id = :id")
  int update(@Bind("id") long id, @Bind("type") String type, @Bind("method") String method,
      @Bind("address") String address, @Bind("port") int port, @Bind("login") String login,
      @Bind("passwordEnc") String passwordEnc, @Bind("directory") String directory,
      @Bind("optionsJson") String optionsJson, @Bind("enabled") boolean enabled,
      @Bind("maxConnections") int maxConnections, @Bind("acquisitionFrequencyMs") long acquisitionFrequencyMs);

  @SqlUpdate("DELETE FROM host WHERE id = :id")
  int delete(@Bind("id") long id);

  @SqlQuery("SELECT " + COLS + " FROM host h WHERE h.name = :name")
  Optional<Host> byName(@Bind("name") String name);

  @SqlQuery("SELECT " + COLS + " FROM host h WHERE h.id = :id")
  Optional<Host> byId(@Bind("id") long id);

  @SqlQuery("SELECT " + COLS + " FROM host h ORDER BY h.name")
  List<Host> all();

  @SqlQuery("SELECT count(*) FROM transfer_method WHERE name = :name")
  int methodExists(@Bind("name") String name);

  /**
   * Associates, or sets the priority of an existing association, in one statement: an UPDATE of a
   * missing row first took a gap lock on MariaDB, and two such transactions then deadlocked on
   * their INSERTs into the same gap.
   */
  @SqlUpdate("INSERT INTO destination_host (destination_id, host_id, priority) VALUES (:d, :h, :p)"
      + " ON DUPLICATE KEY UPDATE priority = :p")
  void associate(@Bind("d") long destinationId, @Bind("h") long hostId, @Bind("p") int priority);

  @SqlUpdate("DELETE FROM destination_host WHERE destination_id = :d AND host_id = :h")
  int dissociate(@Bind("d") long destinationId, @Bind("h") long hostId);

  /** Hosts of a destination with their association priority, in failover order. */
  @SqlQuery("SELECT " + COLS + ", dh.priority FROM destination_host dh JOIN host h ON h.id = dh.host_id "
      + "WHERE dh.destination_id = :d ORDER BY dh.priority, h.id")
  List<Host> hostsOf(@Bind("d") long destinationId);

  /** Every association's host, ordered by destination then failover order (start-up: one query). */
  @SqlQuery("SELECT " + COLS + " FROM destination_host dh JOIN host h ON h.id = dh.host_id "
      + "ORDER BY dh.destination_id, dh.priority, h.id")
  List<Host> allAssociatedHosts();

  /** The destination and priority of each row of allAssociatedHosts, in the same order. */
  @SqlQuery("SELECT dh.destination_id, dh.priority FROM destination_host dh JOIN host h ON h.id = dh.host_id "
      + "ORDER BY dh.destination_id, dh.priority, h.id")
  List<AssociationRow> allAssociations();

  record AssociationRow(long destinationId, int priority) {}

  @SqlQuery("SELECT dh.priority FROM destination_host dh JOIN host h ON h.id = dh.host_id "
      + "WHERE dh.destination_id = :d ORDER BY dh.priority, h.id")
  List<Integer> prioritiesOf(@Bind("d") long destinationId);
}
