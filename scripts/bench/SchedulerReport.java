// The Markdown report of a scheduler bench run: part of the scheduler bench driver (compiled with
// SchedulerBench.java by scripts/bench/scheduler).
import java.nio.file.Files;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

final class SchedulerReport {
  private SchedulerReport() {}

  static void write(Map<String, String> res, StringBuilder md, List<SchedulerBench.Sample> samples,
      List<SchedulerStatements.Digest> startup, List<SchedulerStatements.Digest> running, Connection mon) throws Exception {
    long total = Long.parseLong(res.getOrDefault("queued", "0"));
    String dispatch = res.getOrDefault("dispatch_rate", "n/a");
    md.append("| Measure | Value | Aim |\n|---|---|---|\n");
    row(md, "Queued transfers at start (WAIT) / destinations / movers",
        total + " / " + SchedulerBench.DESTS + " / " + SchedulerBench.MOVERS, "");
    row(md, "`new MasterNode(cfg).start()` duration (queues rebuilt inside)", res.get("start_s") + " s", "< 10 s");
    row(md, "First dispatch after start() was called", res.getOrDefault("first_dispatch_from_start_s", "n/a") + " s", "");
    row(md, "First dispatch after the movers' hello", res.getOrDefault("first_dispatch_from_connect_ms", "n/a") + " ms", "");
    row(md, "**Dispatch rate, sustained** (Disseminate received by the movers, 10%..90% of the transfers)",
        "**" + dispatch + "/s**", ">= 2,000/s");
    row(md, "Dispatch rate, whole run / best second", res.getOrDefault("dispatch_rate_overall", "n/a") + "/s / "
        + res.getOrDefault("dispatch_best_second", "n/a") + "/s", "");
    row(md, "DONE committed per second (10%..90% DONE)", res.getOrDefault("done_rate", "n/a") + "/s", "");
    row(md, "Time from the movers' hello until all DONE", res.getOrDefault("all_done_s", "n/a") + " s", "");
    row(md, "**Status changes committed per second** (transfer_history rows, same window)",
        "**" + res.getOrDefault("history_rate", "n/a") + "/s** (whole run " + res.getOrDefault("history_rate_overall", "n/a")
            + "/s, " + res.getOrDefault("history_rows", "?") + " rows)", "");
    row(md, "Reference: one JDBC connection, `UPDATE` transfer + `INSERT` history + COMMIT: before the master / after it / mean",
        res.getOrDefault("ref_tps_before", "n/a") + " / " + res.getOrDefault("ref_tps_after", "n/a") + " / "
            + res.getOrDefault("ref_tps", "n/a") + " tx/s", "");
    row(md, "Reference with `SELECT ... FOR UPDATE` first: before / after", res.getOrDefault("ref_lock_tps_before", "n/a")
        + " / " + res.getOrDefault("ref_lock_tps_after", "n/a") + " tx/s", "");
    row(md, "**Ratio** status changes/s of the master / reference tx/s (mean)", ratio(res.get("history_rate"), res.get("ref_tps")), "");
    row(md, "Heap used after GC: before start / after start() (queues built) / delta",
        res.get("heap_before_mb") + " / " + res.get("heap_queued_mb") + " / " + res.get("heap_queue_delta_mb") + " MB", "");
    row(md, "Heap peak: sampled each second / sum of pool peaks", res.getOrDefault("heap_peak_sampled_mb", "n/a") + " / "
        + res.getOrDefault("heap_peak_pools_mb", "n/a") + " MB", "");
    row(md, "Heap used after GC at the end", res.getOrDefault("heap_end_mb", "n/a") + " MB", "");
    row(md, "End state", res.getOrDefault("stop", "n/a") + "; statuses: " + res.getOrDefault("statuses", "n/a")
        + "; mover stream errors: " + res.getOrDefault("errors", "n/a")
        + (res.containsKey("partial") ? "; rates over 10%..90% of the transfers dispatched before the stop" : ""), "");
    row(md, "Status changes of the run by new status (transfer_history)", res.getOrDefault("history_by_status", "n/a"), "");
    md.append('\n');
    SchedulerStatements.digestTable(md, "Start-up (during `MasterNode.start()`)", startup, total);
    SchedulerStatements.digestTable(md, "Dispatch run (movers connected until all DONE)", running, total);
    SchedulerStatements.explain(md, mon, startup, running);
    if (!samples.isEmpty()) {
      md.append("Progress (seconds after the movers' hello: dispatched / DONE / history rows, every ~10%):\n`");
      int step = Math.max(1, samples.size() / 10);
      for (int i = 0; i < samples.size(); i += step) {
        SchedulerBench.Sample x = samples.get(i);
        md.append(String.format(Locale.ROOT, "%.0fs %d/%d/%d; ", x.t(), x.dispatched(), x.done(), x.history()));
      }
      SchedulerBench.Sample x = samples.get(samples.size() - 1);
      md.append(String.format(Locale.ROOT, "%.0fs %d/%d/%d`\n\n", x.t(), x.dispatched(), x.done(), x.history()));
    }
    Files.writeString(SchedulerBench.OUT, md.toString());
  }

  static void row(StringBuilder md, String k, String v, String aim) {
    md.append("| ").append(k).append(" | ").append(v).append(" | ").append(aim).append(" |\n");
  }

  static String ratio(String a, String b) {
    try {
      return String.format(Locale.ROOT, "%.2f", Double.parseDouble(a) / Double.parseDouble(b));
    } catch (RuntimeException e) {
      return "n/a";
    }
  }
}
