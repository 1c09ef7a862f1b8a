package org.ecpds.monitor.web;

import java.util.List;

/**
 * The page shell shared by every screen: header with breadcrumbs and the user, a flash line,
 * main#content (the part the live refresh swaps), and a footer with the refresh state.
 */
final class Layout {
  /** Seconds between live refreshes of main#content (see monitor.js). */
  static final int REFRESH_SECONDS = 5;

  /** One breadcrumb; a null href marks the current page. */
  record Crumb(String label, String href) {}

  private Layout() {}

  /**
   * @param session the logged-in operator, or null on the login page
   * @param flash a one-shot message, or null
   * @param live whether monitor.js should refresh main#content periodically
   */
  static String page(String title, Session session, List<Crumb> crumbs, Session.Flash flash,
      String content, boolean live) {
    return page(title, session, crumbs, flash, "", content, live);
  }

  /** @param fixed markup below main#content that the live refresh leaves alone (e.g. the rate plot) */
  static String page(String title, Session session, List<Crumb> crumbs, Session.Flash flash, String fixed,
      String content, boolean live) {
    Html h = new Html();
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>").text(title).raw(" \u2013 ecpds monitor</title>")
        .raw("<link rel=\"stylesheet\" href=\"/assets/monitor.css\">");
    // The session's CSRF token, for scripts; a read-only user has one too (it proves the origin
    // of a request, not the right to change anything, which the master decides).
    if (session != null) h.raw("<meta name=\"csrf-token\"").attr("content", session.csrfToken()).raw(">");
    h
        .raw("<script src=\"/assets/monitor.js\" defer></script></head>");
    h.raw("<body");
    if (live) h.attr("data-refresh", REFRESH_SECONDS);
    h.raw(">");
    header(h, session, crumbs);
    if (flash != null) {
      h.raw("<div id=\"flash\" role=\"status\"").attr("class", flash.ok() ? "flash ok" : "flash error").raw(">")
          .text(flash.message()).raw("</div>");
    }
    h.raw("<main id=\"content\">").raw(content).raw("</main>");
    h.raw(fixed);
    h.raw("<footer><span>All times UTC</span>");
    if (live) {
      h.raw("<span class=\"live\"><span id=\"live-state\"></span>")
          .raw("<button type=\"button\" id=\"live-toggle\">Pause</button></span>");
    }
    h.raw("</footer></body></html>");
    return h.toString();
  }

  private static void header(Html h, Session session, List<Crumb> crumbs) {
    h.raw("<header class=\"top\"><a class=\"brand\" href=\"/\">ecpds <span>monitor</span></a>");
    h.raw("<nav class=\"crumbs\" aria-label=\"breadcrumb\">");
    for (int i = 0; i < crumbs.size(); i++) {
      Crumb c = crumbs.get(i);
      if (i > 0) h.raw("<span class=\"sep\">/</span>");
      if (c.href() == null) {
        h.raw("<span class=\"here\">").text(c.label()).raw("</span>");
      } else {
        h.raw("<a").attr("href", c.href()).raw(">").text(c.label()).raw("</a>");
      }
    }
    h.raw("</nav>");
    if (session != null) {
      h.raw("<div class=\"user\"><a href=\"/config\" id=\"config-link\">Configuration</a> ")
          .raw("<span id=\"current-user\">").text(session.user()).raw("</span>");
      if (session.readOnly()) h.raw(" <span class=\"badge\" id=\"read-only\">read-only</span>");
      h
          .raw("<form method=\"post\" action=\"/logout\">")
          .raw("<button type=\"submit\" id=\"logout\">Log out</button></form></div>");
    }
    h.raw("</header>");
  }

  /** The red banner used for master errors, missing objects and refused requests. */
  static String banner(String message) {
    return new Html().raw("<div class=\"banner error\" id=\"error-banner\" role=\"alert\">").text(message)
        .raw("</div>").toString();
  }
}
