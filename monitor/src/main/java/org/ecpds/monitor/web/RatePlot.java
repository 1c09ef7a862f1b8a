package org.ecpds.monitor.web;

/**
 * The rate plot section of a destination page: a container that rates.js fills with a uPlot chart
 * of files/s and bytes/s over the last hour, polling {@code /rates/{name}}. It sits outside
 * main#content so the live refresh of the table does not recreate the chart every few seconds.
 */
final class RatePlot {
  private RatePlot() {}

  static String render(String destination) {
    return new Html().raw("<section id=\"rates\" class=\"rates\"><h2>Delivery rate, last ")
        .text(RatesServlet.MINUTES).raw(" minutes</h2>")
        .raw("<link rel=\"stylesheet\" href=\"/assets/uPlot.min.css\">")
        .raw("<div id=\"rate-plot\"").attr("data-src", "/rates/" + Format.pathSegment(destination))
        .attr("data-refresh", Layout.REFRESH_SECONDS).raw("><p class=\"note\" id=\"rate-plot-note\">")
        .raw("The plot needs JavaScript; the figures are at ")
        .raw("<a").attr("href", "/rates/" + Format.pathSegment(destination)).raw(">this JSON address</a>.</p></div>")
        .raw("<script src=\"/assets/uPlot.iife.min.js\" defer></script>")
        .raw("<script src=\"/assets/rates.js\" defer></script></section>").toString();
  }
}
