package org.ecpds.monitor.web;

import java.util.Locale;
import java.util.Set;

/**
 * The action buttons: one small POST form per action the master offered, each carrying the
 * session's CSRF token. Which actions appear is decided by the master alone; this class only
 * decides how a button looks and which ones ask for confirmation first.
 */
final class ActionForms {
  /** Form field naming a transfer action (with "id"); see {@link ActionHandler}. */
  static final String TRANSFER_ACTION = "action";
  /** Form field naming a destination action; a separate name so the two can never be confused. */
  static final String DESTINATION_ACTION = "destination-action";
  /** Form field naming one action for all the transfers selected by their checkboxes ("id" values). */
  static final String BULK_ACTION = "bulk-action";
  /** The id of the bulk form, which the row checkboxes name in their form attribute. */
  static final String BULK_FORM = "bulk-form";
  /** The transfer action that carries a number instead of being a plain button. */
  static final String PRIORITY = "priority";
  /**
   * Destination actions that throw work away ask first (monitor.js reads data-confirm); without
   * scripts the form still posts, as the server never relies on the prompt.
   */
  private static final Set<String> CONFIRM = Set.of("stop", "clean");

  private ActionForms() {}

  static void transfer(Html h, String destination, long id, String action, int priority, Session session,
      String filter) {
    open(h, destination, session, "inline", null);
    h.raw("<input type=\"hidden\" name=\"id\"").attr("value", id).raw(">")
        .raw("<input type=\"hidden\"").attr("name", TRANSFER_ACTION).attr("value", action).raw(">");
    filter(h, filter);
    if (PRIORITY.equals(action)) {
      // No min/max here: the allowed range is the master's rule, and its refusal is shown as is.
      h.raw("<input type=\"number\" step=\"1\" name=\"priority\" class=\"priority-input\" required")
          .attr("value", priority).attr("aria-label", "New priority for transfer " + id).raw(">");
      h.raw("<button type=\"submit\" class=\"priority\">Set priority</button></form>");
    } else {
      h.raw("<button type=\"submit\"").attr("class", action).raw(">").text(label(action)).raw("</button></form>");
    }
  }

  static void destination(Html h, String destination, String action, Session session, String filter) {
    String confirm = CONFIRM.contains(action)
        ? label(action) + " destination \u201c" + destination + "\u201d?" : null;
    open(h, destination, session, "inline destination-action", confirm);
    h.raw("<input type=\"hidden\"").attr("name", DESTINATION_ACTION).attr("value", action).raw(">");
    filter(h, filter);
    h.raw("<button type=\"submit\"").attr("class", "dest-" + action).attr("data-action", action).raw(">")
        .text(label(action)).raw("</button></form>");
  }

  /** The selection checkbox of one row; it sits in the table but belongs to the bulk form. */
  static void select(Html h, long id) {
    h.raw("<input type=\"checkbox\" name=\"id\" class=\"select\"").attr("form", BULK_FORM).attr("value", id)
        .attr("aria-label", "Select transfer " + id).raw(">");
  }

  /** The bulk form: only the button and the token; the rows' checkboxes add their ids. */
  static void bulk(Html h, String destination, String action, Session session, String filter) {
    h.raw("<form method=\"post\"").attr("id", BULK_FORM).attr("class", "bulk")
        .attr("action", "/destination/" + Format.pathSegment(destination))
        .raw("><input type=\"hidden\" name=\"csrf\"").attr("value", session.csrfToken()).raw(">")
        .raw("<input type=\"hidden\"").attr("name", BULK_ACTION).attr("value", action).raw(">");
    filter(h, filter);
    h.raw("<button type=\"submit\"").attr("id", "bulk-" + action).raw(">").text(label(action) + " selected")
        .raw("</button></form>");
  }

  /** "requeue-all" -> "Requeue all": readable without a table that would need updating per action. */
  static String label(String action) {
    if (action.isEmpty()) return action;
    String words = action.replace('-', ' ');
    return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
  }

  private static void open(Html h, String destination, Session session, String cssClass, String confirm) {
    h.raw("<form method=\"post\"").attr("class", cssClass)
        .attr("action", "/destination/" + Format.pathSegment(destination));
    if (confirm != null) h.attr("data-confirm", confirm);
    h.raw("><input type=\"hidden\" name=\"csrf\"").attr("value", session.csrfToken()).raw(">");
  }

  private static void filter(Html h, String filter) {
    if (filter != null) h.raw("<input type=\"hidden\" name=\"status\"").attr("value", filter).raw(">");
  }
}
