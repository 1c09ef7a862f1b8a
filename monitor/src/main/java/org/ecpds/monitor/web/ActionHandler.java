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
      TransferActionReply reply = master.transferAction(id, action, session.user(), priority);
      LOG.info("{} asked to {} transfer {}: ok={} {}", session.user(), action, id, reply.getOk(), reply.getMessage());
      session.flash(reply.getOk(), notice(subject, reply.getOk(), reply.getStatus(), reply.getMessage()));
    } catch (StatusRuntimeException e) {
      LOG.warn("{} of transfer {} failed: {}", action, id, e.getStatus());
      session.flash(false, subject + " failed: " + MasterErrors.describe(e, master));
    }
    return null;
  }

  private Refusal destination(Session session, String destination, String action) {
    if (!ACTION.matcher(action).matches()) return malformed();
    String subject = "Destination " + destination + ": " + action;
    try {
      DestinationActionReply reply = master.destinationAction(destination, action, session.user());
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
