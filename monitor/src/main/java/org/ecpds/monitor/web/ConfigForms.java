package org.ecpds.monitor.web;

import java.util.Map;

/**
 * The configuration page's three forms (destination, host, incoming user). Each posts to /config
 * with the session's CSRF token and a hidden "form" naming which one it is. Values of a refused
 * form come back in {@code values} so the operator can correct them; passwords never do.
 */
final class ConfigForms {
  static final String DESTINATION = "destination";
  static final String HOST = "host";
  static final String USER = "user";
  /** Transfer methods offered in the host form; the master's list is the authority and refuses others. */
  private static final String[] METHODS = {"sftp", "ftp", "ftps", "scp", "s3", "http", "https", "webdav",
      "webdavs", "local", "test"};

  private ConfigForms() {}

  /** @param values the refused form's fields (empty when none) */
  static String render(Session session, String refusedForm, Map<String, String> values) {
    Html h = new Html();
    h.raw("<h1>Configuration</h1>");
    if (session.readOnly()) {
      h.raw("<p class=\"note\" id=\"read-only-note\">You are logged in as a read-only user: the master refuses "
          + "configuration changes for you, so no forms are shown.</p>");
      return h.toString();
    }
    Map<String, String> d = DESTINATION.equals(refusedForm) ? values : Map.of();
    open(h, session, DESTINATION, "New destination");
    field(h, DESTINATION, "name", "Name", "text", d, true);
    field(h, DESTINATION, "comment", "Comment", "text", d, false);
    field(h, DESTINATION, "max_connections", "Max connections", "number", d, false);
    close(h, DESTINATION, "Create destination");

    Map<String, String> o = HOST.equals(refusedForm) ? values : Map.of();
    open(h, session, HOST, "New host for a destination");
    field(h, HOST, "name", "Name", "text", o, true);
    field(h, HOST, "destination", "Destination", "text", o, true);
    h.raw("<label for=\"host-method\">Transfer method</label><select id=\"host-method\" name=\"transfer_method\">");
    for (String m : METHODS) {
      h.raw("<option").attr("value", m);
      if (m.equals(o.getOrDefault("transfer_method", "sftp"))) h.raw(" selected");
      h.raw(">").text(m).raw("</option>");
    }
    h.raw("</select>");
    field(h, HOST, "address", "Address", "text", o, true);
    field(h, HOST, "port", "Port", "number", o, false);
    field(h, HOST, "login", "Login", "text", o, false);
    field(h, HOST, "password", "Password", "password", Map.of(), false);
    field(h, HOST, "directory", "Directory", "text", o, false);
    close(h, HOST, "Create host");

    Map<String, String> u = USER.equals(refusedForm) ? values : Map.of();
    open(h, session, USER, "New incoming user");
    field(h, USER, "name", "Name", "text", u, true);
    field(h, USER, "password", "Password", "password", Map.of(), true);
    field(h, USER, "email", "E-mail", "email", u, false);
    field(h, USER, "destination", "Destination (optional)", "text", u, false);
    h.raw("<fieldset><legend>Permissions on the destination</legend>");
    check(h, "can_get", "get", u);
    check(h, "can_put", "put", u);
    check(h, "can_delete", "delete", u);
    h.raw("</fieldset>");
    close(h, USER, "Create user");
    return h.toString();
  }

  private static void open(Html h, Session session, String form, String title) {
    h.raw("<section class=\"config\"><h2>").text(title).raw("</h2><form method=\"post\" action=\"/config\"")
        .attr("id", form + "-form").raw("><input type=\"hidden\" name=\"csrf\"").attr("value", session.csrfToken())
        .raw("><input type=\"hidden\" name=\"form\"").attr("value", form).raw(">");
  }

  private static void close(Html h, String form, String label) {
    h.raw("<button type=\"submit\"").attr("id", form + "-submit").raw(">").text(label).raw("</button></form></section>");
  }

  private static void field(Html h, String form, String name, String label, String type, Map<String, String> values,
      boolean required) {
    String id = form + "-" + name.replace('_', '-');
    h.raw("<label").attr("for", id).raw(">").text(label).raw("</label><input").attr("id", id).attr("name", name)
        .attr("type", type);
    if (values.containsKey(name)) h.attr("value", values.get(name));
    // Browsers check "required" first as a convenience; the master checks again and decides.
    if (required) h.raw(" required");
    h.raw(">");
  }

  private static void check(Html h, String name, String label, Map<String, String> values) {
    h.raw("<label class=\"check\"><input type=\"checkbox\" value=\"on\"").attr("name", name)
        .attr("id", "user-" + name.replace('_', '-'));
    if (values.isEmpty() ? "can_get".equals(name) : values.containsKey(name)) h.raw(" checked");
    h.raw("> ").text(label).raw("</label>");
  }
}
