package org.ecpds.monitor.web;

import java.time.Instant;
import org.ecpds.proto.DestinationSummary;
import org.ecpds.proto.MoverState;
import org.ecpds.proto.OverviewReply;

/**
 * The home page body: table#movers and table#destinations (state as the master labels it, then
 * counts per status code).
 */
final class HomeView {
  private HomeView() {}

  static String render(OverviewReply overview) {
    Html h = new Html();
    h.raw("<p class=\"asof\">As of <time id=\"asof\">").text(Format.time(Instant.now().toEpochMilli()))
        .raw("</time></p>");
    movers(h, overview);
    destinations(h, overview);
    return h.toString();
  }

  private static void movers(Html h, OverviewReply overview) {
    h.raw("<section><h2>Data movers <span class=\"count-badge\">").text(overview.getMoversCount())
        .raw("</span></h2><table id=\"movers\" class=\"grid\"><thead><tr>")
        .raw("<th>Name</th><th>State</th><th class=\"num\">Transfers</th><th class=\"num\">Load</th>")
        .raw("<th class=\"num\">Free space</th><th>Last seen</th></tr></thead><tbody>");
    if (overview.getMoversCount() == 0) {
      h.raw("<tr class=\"empty\"><td colspan=\"6\">No mover has connected to the master.</td></tr>");
    }
    for (MoverState m : overview.getMoversList()) {
      h.raw("<tr class=\"mover\"").attr("data-name", m.getName()).raw(">")
          .cell("name", m.getName())
          .raw("<td class=\"state\"><span").attr("class", m.getOnline() ? "badge online" : "badge offline")
          .raw(">").text(m.getOnline() ? "online" : "offline").raw("</span></td>")
          .cell("running num", m.getRunningTransfers() + " / " + m.getMaxTransfers())
          .cell("load num", Format.decimal(m.getLoad()))
          .cell("free num", Format.bytes(m.getFreeBytes()))
          .cell("last-seen", Format.time(m.getLastSeenMillis()))
          .raw("</tr>");
    }
    h.raw("</tbody></table></section>");
  }

  private static void destinations(Html h, OverviewReply overview) {
    h.raw("<section><h2>Destinations <span class=\"count-badge\">").text(overview.getDestinationsCount())
        .raw("</span></h2><table id=\"destinations\" class=\"grid\"><thead><tr>")
        .raw("<th>Name</th><th>State</th><th>Enabled</th><th class=\"num\">Max conn.</th>");
    for (String code : StatusCodes.ALL) {
      h.raw("<th class=\"num\"").attr("data-status", code).raw(">")
          .raw("<span").attr("class", StatusCodes.cssClass(code)).raw(">").text(code).raw("</span></th>");
    }
    h.raw("</tr></thead><tbody>");
    if (overview.getDestinationsCount() == 0) {
      h.raw("<tr class=\"empty\"><td colspan=\"").text(4 + StatusCodes.ALL.size())
          .raw("\">No destinations defined.</td></tr>");
    }
    for (DestinationSummary d : overview.getDestinationsList()) {
      String link = "/destination/" + Format.pathSegment(d.getName());
      h.raw("<tr class=\"destination\"").attr("data-name", d.getName()).raw(">")
          .raw("<td class=\"name\"><a").attr("href", link).raw(">").text(d.getName()).raw("</a></td>")
          .raw("<td class=\"state\">");
      DestinationState.badge(h, d);
      h.raw("</td>")
          .raw("<td class=\"enabled\"><span").attr("class", d.getEnabled() ? "badge online" : "badge offline")
          .raw(">").text(d.getEnabled() ? "yes" : "no").raw("</span></td>")
          .cell("max-connections num", d.getMaxConnections());
      for (String code : StatusCodes.ALL) {
        long n = d.getCountsOrDefault(code, 0);
        h.raw("<td").attr("class", n == 0 ? "count num zero" : "count num").attr("data-status", code).raw(">");
        if (n == 0) {
          h.text(0);
        } else {
          h.raw("<a").attr("href", link + "?status=" + code).raw(">").text(n).raw("</a>");
        }
        h.raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("</tbody></table></section>");
  }
}
