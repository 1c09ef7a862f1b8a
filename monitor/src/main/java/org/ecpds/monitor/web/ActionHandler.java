package org.ecpds.monitor.web;

import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;
import org.ecpds.proto.DestinationActionReply;
import org.ecpds.proto.TransferActionReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an action form into one AdminService call and the master's answer into a flash. The
 * monitor checks only that the form is well formed (an action word, a numeric id, a whole-number
 * priority); whether the action is allowed now, and which priorities are valid, is the master's
 * decision, reported back in its message.
 */
final class ActionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ActionHandler.class);
  /** The shape of an action word ("requeue", "requeue-all"); the vocabulary is the master's. */
  private static final Pattern ACTION = Pattern.compile("[a-z][a-z-]{0,31}");

  /** Why a form was not forwarded: a 4xx status and a sentence for the operator. */
  record Refusal(int status, String message) {}

  private final MasterClient master;

  ActionHandler(MasterClient master) {
    this.master = master;
  }

  /** Forwards the form to the master and flashes its answer; a refusal when the form is malformed. */
  Refusal handle(HttpServletRequest req, Session session, String destination) {
    String bulkAction = req.getParameter(ActionForms.BULK_ACTION);
    if (bulkAction != null) {
      if (destination == null || req.getParameter(ActionForms.TRANSFER_ACTION) != null
          || req.getParameter(ActionForms.DESTINATION_ACTION) != null) {
        return malformed();
      }
      return bulk(req, session, bulkAction);
    }
    String transferAction = req.getParameter(ActionForms.TRANSFER_ACTION);
    String destinationAction = req.getParameter(ActionForms.DESTINATION_ACTION);
    if (destination == null || (transferAction == null) == (destinationAction == null)) {
      return malformed();
    }
    return transferAction != null
        ? transfer(req, session, transferAction)
        : destination(session, destination, destinationAction);
  }

  private Refusal transfer(HttpServletRequest req, Session session, String action) {
    long id = parseId(req.getParameter("id"));
    if (id <= 0 || !ACTION.matcher(action).matches()) return malformed();
    int priority = 0;
    String subject = "Transfer " + id + ": " + action;
    if (ActionForms.PRIORITY.equals(action)) {
      String value = req.getParameter("priority");
      String raw = value == null ? "" : value.trim();
      try {
        priority = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        // Out of int32 it cannot travel in the request at all; the range itself is the master's call.
        String why = raw.matches("[+-]?\\d+") ? " is too large to send" : " is not a whole number";
        return new Refusal(400, "Priority \u201c" + raw + "\u201d" + why + "; nothing was changed.");
      }
      subject += " " + priority;
    }
    try {
      TransferActionReply reply = master.transferAction(id, action, session, priority);
      LOG.info("{} asked to {} transfer {}: ok={} {}", session.user(), action, id, reply.getOk(), reply.getMessage());
      session.flash(reply.getOk(), notice(subject, reply.getOk(), reply.getStatus(), reply.getMessage()));
    } catch (StatusRuntimeException e) {
      LOG.warn("{} of transfer {} failed: {}", action, id, e.getStatus());
      session.flash(false, subject + " failed: " + MasterErrors.describe(e, master));
    }
    return null;
  }

  /**
   * One action on every selected transfer: one call per transfer, so each goes through the master's
   * lifecycle check on its own and one refusal does not hide the others' results.
   */
  private Refusal bulk(HttpServletRequest req, Session session, String action) {
    String[] values = req.getParameterValues("id");
    if (!ACTION.matcher(action).matches() || ActionForms.PRIORITY.equals(action)) return malformed();
    if (values == null || values.length == 0) {
      return new Refusal(400, "Select at least one transfer; nothing was changed.");
    }
    if (values.length > DestinationServlet.LIMIT) return malformed();
    java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
    for (String v : values) {
      long id = parseId(v);
      if (id <= 0) return malformed();
      ids.add(id);
    }
    int done = 0;
    java.util.List<String> refusals = new java.util.ArrayList<>();
    for (long id : ids) {
      try {
        TransferActionReply reply = master.transferAction(id, action, session, 0);
        if (reply.getOk()) done++;
        else refusals.add(id + ": " + reply.getMessage());
      } catch (StatusRuntimeException e) {
        LOG.warn("bulk {} of transfer {} failed: {}", action, id, e.getStatus());
        refusals.add(id + ": " + MasterErrors.describe(e, master));
      }
    }
    LOG.info("{} asked to {} {} transfer(s): {} done, {} refused", session.user(), action, ids.size(), done,
        refusals.size());
    String message = ActionForms.label(action) + " of " + ids.size() + " transfer(s): " + done + " done"
        + (refusals.isEmpty() ? "." : ", " + refusals.size() + " refused (" + String.join("; ", refusals) + ").");
    session.flash(refusals.isEmpty(), message);
    return null;
  }

  private Refusal destination(Session session, String destination, String action) {
    if (!ACTION.matcher(action).matches()) return malformed();
    String subject = "Destination " + destination + ": " + action;
    try {
      DestinationActionReply reply = master.destinationAction(destination, action, session);
      LOG.info("{} asked to {} destination {}: ok={} {}", session.user(), action, destination, reply.getOk(),
          reply.getMessage());
      String state = reply.getStateLabel().isEmpty() ? reply.getState() : reply.getStateLabel();
      session.flash(reply.getOk(), notice(subject, reply.getOk(), state, reply.getMessage()));
    } catch (StatusRuntimeException e) {
      LOG.warn("{} of destination {} failed: {}", action, destination, e.getStatus());
      session.flash(false, subject + " failed: " + MasterErrors.describe(e, master));
    }
    return null;
  }

  /** "Transfer 2: stop done, now STOP. stopped by operator" / "...: requeue refused. <why>". */
  static String notice(String subject, boolean ok, String now, String message) {
    StringBuilder sb = new StringBuilder(subject).append(ok ? " done" : " refused");
    if (ok && !now.isEmpty()) sb.append(", now ").append(now);
    sb.append('.');
    if (!message.isEmpty()) sb.append(' ').append(message);
    return sb.toString();
  }

  private static Refusal malformed() {
    return new Refusal(400, "Malformed action request.");
  }

  private static long parseId(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
