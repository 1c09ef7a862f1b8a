package org.ecpds.master.db;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericTypes;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.RowMapperFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Maps rows onto the project's records by column name ({@code created_ms} fills {@code createdMs}),
 * like Jdbi's ConstructorMapper, but works out the column of each component once per record type
 * and result shape. ConstructorMapper redoes that on every query, reading the constructor's
 * annotations each time: a fifth of the master's CPU on the push path (JFR, scripts/bench/cli).
 * A component without a column is an error, as with ConstructorMapper.
 */
final class RecordRowMapperFactory implements RowMapperFactory {
  private static final String PACKAGE = "org.ecpds.";
  private final ConcurrentMap<Class<?>, RecordMapper<?>> mappers = new ConcurrentHashMap<>();

  @Override
  public Optional<RowMapper<?>> build(Type type, ConfigRegistry config) {
    Class<?> raw = GenericTypes.getErasedType(type);
    if (!raw.isRecord() || !raw.getName().startsWith(PACKAGE)) return Optional.empty();
    return Optional.of(mappers.computeIfAbsent(raw, RecordMapper::new));
  }

  private static final class RecordMapper<T> implements RowMapper<T> {
    private final Class<T> type;
    private final RecordComponent[] components;
    private final Constructor<T> constructor;
    // keyed by the result's column labels: one plan per query shape
    private final ConcurrentMap<String, Plan> plans = new ConcurrentHashMap<>();

    RecordMapper(Class<?> raw) {
      @SuppressWarnings("unchecked")
      Class<T> t = (Class<T>) raw;
      this.type = t;
      this.components = raw.getRecordComponents();
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) types[i] = components[i].getType();
      try {
        this.constructor = t.getDeclaredConstructor(types);
        constructor.setAccessible(true);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("record " + raw.getName() + " has no canonical constructor", e);
      }
    }

    @Override
    public T map(ResultSet rs, StatementContext ctx) throws SQLException {
      return specialize(rs, ctx).map(rs, ctx);
    }

    @Override
    public RowMapper<T> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
      ResultSetMetaData meta = rs.getMetaData();
      int n = meta.getColumnCount();
      StringBuilder key = new StringBuilder();
      for (int c = 1; c <= n; c++) key.append(meta.getColumnLabel(c)).append(',');
      Plan plan = plans.get(key.toString());
      if (plan == null) {
        plan = plan(meta, ctx);
        plans.putIfAbsent(key.toString(), plan);
      }
      Plan p = plan;
      return (row, context) -> build(p, row, context);
    }

    private Plan plan(ResultSetMetaData meta, StatementContext ctx) throws SQLException {
      int[] columns = new int[components.length];
      ColumnMapper<?>[] columnMappers = new ColumnMapper<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        String wanted = normalise(components[i].getName());
        columns[i] = -1;
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          if (normalise(meta.getColumnLabel(c)).equals(wanted)) {
            columns[i] = c;
            break;
          }
        }
        if (columns[i] < 0) {
          throw new IllegalArgumentException("no column for " + type.getSimpleName() + "." + components[i].getName());
        }
        Type t = components[i].getGenericType();
        columnMappers[i] = ctx.findColumnMapperFor(t)
            .orElseThrow(() -> new IllegalArgumentException("no column mapper for " + t));
      }
      return new Plan(columns, columnMappers);
    }

    private T build(Plan p, ResultSet rs, StatementContext ctx) throws SQLException {
      Object[] args = new Object[p.columns.length];
      for (int i = 0; i < args.length; i++) args[i] = p.mappers[i].map(rs, p.columns[i], ctx);
      try {
        return constructor.newInstance(args);
      } catch (InstantiationException | IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) throw r;
        throw new IllegalStateException(e.getCause());
      }
    }

    private static String normalise(String name) {
      return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
  }

  private record Plan(int[] columns, ColumnMapper<?>[] mappers) {}
}
