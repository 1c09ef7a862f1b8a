// The statements MariaDB's performance_schema saw during a scheduler bench run, by digest, with EXPLAIN of
// the hot ones: part of the scheduler bench driver (compiled with SchedulerBench.java by scripts/bench/scheduler).
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

final class SchedulerStatements {
  record Digest(String digest, String text, long count, double totalS, long rowsExamined) {}

  /** One sample text per digest, copied from history_long while the phases run (EXPLAIN needs a real statement). */
  static final Map<String, String> SAMPLES = new ConcurrentHashMap<>();

  private SchedulerStatements() {}

  /** Keeps {@link #SAMPLES} filled until interrupted. */
  static Thread startSampler(String monUrl) {
    Thread t = new Thread(() -> {
      try (Connection c = DriverManager.getConnection(monUrl, SchedulerBench.USER, SchedulerBench.PASS);
          PreparedStatement p = c.prepareStatement("SELECT DIGEST, SQL_TEXT FROM performance_schema.events_statements_history_long "
              + "WHERE CURRENT_SCHEMA = ? AND DIGEST IS NOT NULL AND SQL_TEXT IS NOT NULL")) {
        p.setString(1, SchedulerBench.DB);
        while (!Thread.currentThread().isInterrupted()) {
          try (ResultSet r = p.executeQuery()) {
            while (r.next()) SAMPLES.putIfAbsent(r.getString(1), r.getString(2));
          }
          Thread.sleep(300);
        }
      } catch (InterruptedException e) {
        // done
      } catch (SQLException e) {
        SchedulerBench.log("statement sampler stopped: %s", e);
      }
    }, "bench-sql-sampler");
    t.setDaemon(true);
    t.start();
    return t;
  }

  static List<Digest> digests(Statement s) throws SQLException {
    // pick up samples seen since the last sampler pass
    try (ResultSet r = s.executeQuery("SELECT DIGEST, SQL_TEXT FROM performance_schema.events_statements_history_long "
        + "WHERE CURRENT_SCHEMA = '" + SchedulerBench.DB + "' AND DIGEST IS NOT NULL AND SQL_TEXT IS NOT NULL")) {
      while (r.next()) SAMPLES.putIfAbsent(r.getString(1), r.getString(2));
    }
    List<Digest> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery("SELECT DIGEST, DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT / 1e12, SUM_ROWS_EXAMINED "
        + "FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME = '" + SchedulerBench.DB + "' "
        + "ORDER BY SUM_TIMER_WAIT DESC")) {
      while (r.next()) out.add(new Digest(r.getString(1), r.getString(2), r.getLong(3), r.getDouble(4), r.getLong(5)));
    }
    return out;
  }

  static void digestTable(StringBuilder md, String title, List<Digest> ds, long total) {
    double sum = ds.stream().mapToDouble(Digest::totalS).sum();
    md.append("**Statements, ").append(title).append("** (performance_schema digests of the master's schema, by total server time; ")
        .append(String.format(Locale.ROOT, "%.1f s server time in all", sum)).append(")\n\n")
        .append("| Statement (digest) | Count | per queued transfer | Server time s | Share | Rows examined |\n|---|---|---|---|---|---|\n");
    for (Digest d : ds.subList(0, Math.min(10, ds.size()))) {
      md.append(String.format(Locale.ROOT, "| `%s` | %d | %.2f | %.2f | %.0f%% | %d |%n", shorten(d.text(), 160), d.count(),
          total > 0 ? (double) d.count() / total : 0, d.totalS(), sum > 0 ? 100 * d.totalS() / sum : 0, d.rowsExamined()));
    }
    md.append('\n');
  }

  static void explain(StringBuilder md, Connection mon, List<Digest> startup, List<Digest> running) {
    md.append("**EXPLAIN of the hot statements** (a sample text of each digest, top 5 per phase by server time)\n\n");
    List<String> seen = new ArrayList<>();
    try (Statement s = mon.createStatement()) {
      s.execute("USE " + SchedulerBench.DB);
      for (List<Digest> phase : List.of(startup, running)) {
        int n = 0;
        for (Digest d : phase) {
          if (n >= 5) break;
          String sample = SAMPLES.get(d.digest());
          String head = d.text() == null ? "" : d.text().trim().toUpperCase(Locale.ROOT);
          if (!(head.startsWith("SELECT") || head.startsWith("UPDATE") || head.startsWith("INSERT") || head.startsWith("DELETE"))) continue;
          n++;
          if (seen.contains(d.digest())) continue;
          seen.add(d.digest());
          if (sample == null) {
            md.append("- `").append(shorten(d.text(), 200)).append("`: no sample text captured\n\n");
            continue;
          }
          md.append("- `").append(shorten(sample, 300)).append("`\n\n");
          try (ResultSet r = s.executeQuery("EXPLAIN " + sample)) {
            ResultSetMetaData m = r.getMetaData();
            md.append("  |");
            for (int i = 1; i <= m.getColumnCount(); i++) md.append(' ').append(m.getColumnLabel(i)).append(" |");
            md.append("\n  |");
            for (int i = 1; i <= m.getColumnCount(); i++) md.append("---|");
            md.append('\n');
            while (r.next()) {
              md.append("  |");
              for (int i = 1; i <= m.getColumnCount(); i++) md.append(' ').append(r.getString(i)).append(" |");
              md.append('\n');
            }
            md.append('\n');
          } catch (SQLException e) {
            md.append("  EXPLAIN failed: ").append(e.getMessage()).append("\n\n");
          }
        }
      }
    } catch (SQLException e) {
      md.append("EXPLAIN unavailable: ").append(e.getMessage()).append("\n\n");
    }
  }

  static String shorten(String s, int max) {
    if (s == null) return "";
    String one = s.replaceAll("\\s+", " ").replace("|", "\\|").replace("`", "'");
    return one.length() <= max ? one : one.substring(0, max) + "...";
  }
}
