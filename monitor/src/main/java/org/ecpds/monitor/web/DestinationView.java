package org.ecpds.monitor.web;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.ecpds.proto.DestinationDetailReply;
import org.ecpds.proto.DestinationSummary;
import org.ecpds.proto.HistoryEntry;
import org.ecpds.proto.TransferView;

/**
 * The destination page body: a summary with the destination's state and the actions the master
 * offers for it, status facets (like OpenECPDS's status filter) and table#transfers, where each
 * tr.transfer is followed by its tr.history-row (shown by the row's History button; always shown
 * when scripts are off). Every status label and every button comes from the master's reply.
 */
final class DestinationView {
  private static final int COLUMNS = 12;

  /** The transfer action offered on a selection (the master's lifecycle decides per transfer). */
  static final String BULK = "requeue";

  private DestinationView() {}

  static String render(String name, DestinationDetailReply reply, Session session, String filter) {
    Html h = new Html();
    summary(h, name, reply.getSummary(), session, filter);
    facets(h, name, reply.getSummary().getCountsMap(), labels(reply), filter);
    h.raw("<table id=\"transfers\" class=\"grid\"><thead><tr>")
        .raw("<th class=\"select\" aria-label=\"Select\"></th><th class=\"num\">Id</th><th>Target</th><th>Status</th><th class=\"num\">P</th><th>Host</th>")
        .raw("<th class=\"num\">Size</th><th class=\"num\">Sent</th><th>Queued</th><th>Finished</th>")
        .raw("<th>Message</th><th>Actions</th></tr></thead><tbody>");
    int shown = 0;
    for (TransferView t : reply.getTransfersList()) {
      if (filter != null && !filter.equals(StatusCodes.code(t))) continue;
      transfer(h, name, t, session, filter);
      shown++;
    }
    if (shown == 0) {
      h.raw("<tr class=\"empty\"><td").attr("colspan", COLUMNS).raw(">No transfers")
          .text(filter == null ? "." : " with status " + filter + ".").raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    if (!session.readOnly()) ActionForms.bulk(h, name, BULK, session, filter);
    h.raw("<p class=\"note\">").text(shown + " transfer(s) shown; the master returns at most "
        + DestinationServlet.LIMIT + ", newest first.").raw("</p>");
    return h.toString();
  }

  private static void summary(Html h, String name, DestinationSummary s, Session session, String filter) {
    h.raw("<section class=\"summary\" id=\"destination-summary\"><h1>").text(name).raw("</h1><dl>")
        .raw("<dt>State</dt><dd class=\"state\">");
    DestinationState.badge(h, s);
    h.raw("</dd>")
        .raw("<dt>Enabled</dt><dd class=\"enabled\"><span")
        .attr("class", s.getEnabled() ? "badge online" : "badge offline").raw(">")
        .text(s.getEnabled() ? "yes" : "no").raw("</span></dd>")
        .raw("<dt>Max connections</dt><dd class=\"max-connections\">").text(s.getMaxConnections()).raw("</dd>")
        .raw("<dt>As of</dt><dd><time id=\"asof\">").text(Format.time(Instant.now().toEpochMilli()))
        .raw("</time></dd></dl>");
    h.raw("<div id=\"destination-actions\" class=\"actions\">");
    if (!session.readOnly()) {
      for (String action : s.getActionsList()) ActionForms.destination(h, name, action, session, filter);
    }
    h.raw("</div></section>");
  }

  /** Code -> label as the master named them in this reply (counts carry codes only). */
  private static Map<String, String> labels(DestinationDetailReply reply) {
    Map<String, String> labels = new HashMap<>();
    for (TransferView t : reply.getTransfersList()) labels.putIfAbsent(StatusCodes.code(t), StatusCodes.label(t));
    return labels;
  }

  private static void facets(Html h, String name, Map<String, Long> counts, Map<String, String> labels,
      String filter) {
    String base = "/destination/" + Format.pathSegment(name);
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    h.raw("<nav id=\"status-filter\" class=\"facets\" aria-label=\"status filter\"><span class=\"label\">Status</span>");
    facet(h, base, null, "All", total, filter == null);
    counts.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey())
        .forEach(e -> facet(h, base + "?status=" + Format.pathSegment(e.getKey()), e.getKey(),
            labels.getOrDefault(e.getKey(), e.getKey()), e.getValue(), e.getKey().equals(filter)));
    h.raw("</nav>");
  }

  private static void facet(Html h, String href, String code, String label, long count, boolean active) {
    h.raw("<a").attr("href", href).attr("class", "facet" + (active ? " active" : ""))
        .attr("data-status", code == null ? "ALL" : code).raw(">").text(label).raw(" <span class=\"n\">")
        .text(count).raw("</span></a>");
  }

  private static void transfer(Html h, String destination, TransferView t, Session session, String filter) {
    int pct = Format.percent(t.getSent(), t.getSize());
    String code = StatusCodes.code(t);
    String label = StatusCodes.label(t);
    h.raw("<tr class=\"transfer\"").attr("data-id", t.getId()).attr("data-status", code).raw(">")
        .raw("<td class=\"select\">");
    if (!session.readOnly() && t.getActionsList().contains(BULK)) ActionForms.select(h, t.getId());
    h.raw("</td>")
        .cell("id num", t.getId())
        .cell("target", t.getTarget())
        .raw("<td class=\"status\"><span").attr("class", StatusCodes.cssClass(code))
        .attr("title", label).raw("><span class=\"code\">").text(code)
        .raw("</span> <span class=\"name\">").text(label).raw("</span></span></td>")
        .cell("priority num", t.getPriority())
        .cell("host", t.getHost().isEmpty() ? Format.NONE : t.getHost())
        .cell("size num", Format.bytes(t.getSize()))
        .raw("<td class=\"progress num\"").attr("title", t.getSent() + " of " + t.getSize() + " bytes").raw(">")
        .raw("<span class=\"pct\">").text(pct + "%").raw("</span><span class=\"bar\"><span")
        .attr("class", "fill w" + (pct / 10 * 10)).raw("></span></span></td>")
        .cell("queue-time", Format.time(t.getQueueTimeMillis()))
        .cell("finish-time", Format.time(t.getFinishTimeMillis()))
        .cell("message", t.getMessage());
    actions(h, destination, t, session, filter);
    h.raw("</tr>");
    history(h, t);
  }

  private static void actions(Html h, String destination, TransferView t, Session session, String filter) {
    h.raw("<td class=\"actions\">");
    h.raw("<button type=\"button\" class=\"history-toggle\" aria-expanded=\"false\"").attr("data-id", t.getId())
        .raw(">History (").text(t.getHistoryCount()).raw(")</button>");
    for (String action : session.readOnly() ? java.util.List.<String>of() : t.getActionsList()) {
      ActionForms.transfer(h, destination, t.getId(), action, t.getPriority(), session, filter);
    }
    h.raw("</td>");
  }

  private static void history(Html h, TransferView t) {
    h.raw("<tr class=\"history-row\"").attr("data-id", t.getId()).raw("><td").attr("colspan", COLUMNS).raw(">");
    if (t.getHistoryCount() == 0) {
      h.raw("<p class=\"note\">No history recorded.</p>");
    } else {
      h.raw("<table class=\"history\"><thead><tr><th>Status</th><th>Time</th><th>Comment</th><th>User</th>")
          .raw("</tr></thead><tbody>");
      for (HistoryEntry e : t.getHistoryList()) {
        h.raw("<tr class=\"entry\">")
            .raw("<td class=\"h-status\"><span").attr("class", StatusCodes.cssClass(e.getStatus()))
            .raw(">").text(e.getStatus()).raw("</span></td>")
            .cell("h-time", Format.time(e.getTimeMillis()))
            .cell("h-comment", e.getComment())
            .cell("h-user", e.getUser().isEmpty() ? Format.NONE : e.getUser())
            .raw("</tr>");
      }
      h.raw("</tbody></table>");
    }
    h.raw("</td></tr>");
  }
}
