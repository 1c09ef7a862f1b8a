package org.ecpds.master.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** The master's connection pool, schema migrations and Jdbi handle factory. */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final ColumnLimits limits;

  public Database(String url, String user, String password, int poolSize) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setUsername(user);
    cfg.setPassword(password);
    cfg.setMaximumPoolSize(poolSize);
    cfg.setPoolName("ecpds-master");
    this.dataSource = new HikariDataSource(cfg);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    H2IdentityCache.raise(dataSource);
    this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    // the record factory first: a mapper registered later (HostMapper) takes precedence over it
    jdbi.registerRowMapper(new RecordRowMapperFactory());
    jdbi.registerRowMapper(new HostMapper());
    this.limits = ColumnLimits.read(dataSource);
  }

  /** Text column sizes, as the schema has them. */
  public ColumnLimits limits() {
    return limits;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
