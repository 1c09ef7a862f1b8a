package org.ecpds.master.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.ecpds.master.domain.Host;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Host rows, with the options JSON column turned into a map. */
final class HostMapper implements RowMapper<Host> {
  @Override
  public Host map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Host(rs.getLong("id"), rs.getString("name"), rs.getString("type"), rs.getString("transfer_method"),
        rs.getString("address"), rs.getInt("port"), rs.getString("login"), rs.getString("password_enc"),
        rs.getString("directory"), Json.read(rs.getString("options_json")), rs.getBoolean("enabled"),
        rs.getLong("created_ms"), rs.getInt("max_connections"),
        rs.getLong("acquisition_frequency_ms"));
  }
}
