package org.ecpds.monitor.web;

import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.ecpds.proto.DestinationDetailReply;
import org.ecpds.proto.TransferActionReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "/destination/{name}": GET shows the destination's transfers; POST runs a per-transfer action
 * (requeue, stop) for the logged-in operator and redirects back with a flash (post/redirect/get,
 * so reloading the page never repeats an action).
 */
final class DestinationServlet extends BaseServlet {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationServlet.class);
  /** How many transfers one page asks the master for. */
  static final int LIMIT = 500;
  private static final Set<String> ACTIONS = Set.of("requeue", "stop");

  DestinationServlet(MasterClient master, SessionStore sessions) {
    super(master, sessions);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Session session = requireSession(req, resp);
    if (session == null) return;
    String name = destinationName(req);
    if (name == null) {
      redirect(resp, "/");
      return;
    }
    String filter = statusFilter(req.getParameter("status"));
    List<Layout.Crumb> crumbs = List.of(new Layout.Crumb("Overview", "/"), new Layout.Crumb(name, null));
    DestinationDetailReply reply = master.destination(name, LIMIT);
    if (!reply.getFound()) {
      sendPage(resp, 404, Layout.page(name, session, crumbs, takeFlash(req, session),
          Layout.banner("There is no destination named \u201c" + name + "\u201d."), false));
      return;
    }
    sendPage(resp, 200, Layout.page(name, session, crumbs, takeFlash(req, session),
        DestinationView.render(name, reply, session, filter), true));
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Session session = requireSession(req, resp);
    if (session == null) return;
    String name = destinationName(req);
    if (!session.csrfMatches(req.getParameter("csrf"))) {
      sendRefusal(resp, session, 403, "This form was not sent by your monitor session; reload the page and retry.");
      return;
    }
    String action = req.getParameter("action");
    long id = parseId(req.getParameter("id"));
    if (name == null || id <= 0 || action == null || !ACTIONS.contains(action)) {
      sendRefusal(resp, session, 400, "Malformed action request.");
      return;
    }
    act(session, id, action);
    String filter = statusFilter(req.getParameter("status"));
    redirect(resp, "/destination/" + Format.pathSegment(name) + (filter == null ? "" : "?status=" + filter));
  }

  private void act(Session session, long id, String action) {
    try {
      TransferActionReply reply = master.transferAction(id, action, session.user());
      LOG.info("{} asked to {} transfer {}: ok={} {}", session.user(), action, id, reply.getOk(), reply.getMessage());
      session.flash(reply.getOk(), flashText(id, action, reply));
    } catch (StatusRuntimeException e) {
      LOG.warn("{} of transfer {} failed: {}", action, id, e.getStatus());
      session.flash(false, "Transfer " + id + " not " + pastTense(action) + ": " + MasterErrors.describe(e, master));
    }
  }

  private static String flashText(long id, String action, TransferActionReply reply) {
    StringBuilder sb = new StringBuilder("Transfer ").append(id);
    sb.append(reply.getOk() ? " " : " not ").append(pastTense(action));
    if (reply.getOk() && !reply.getStatus().isEmpty()) {
      sb.append(", now ").append(reply.getStatus()).append(" (").append(TransferStatus.name(reply.getStatus())).append(')');
    }
    if (!reply.getMessage().isEmpty()) sb.append(": ").append(reply.getMessage());
    return sb.toString();
  }

  private static String pastTense(String action) {
    return "stop".equals(action) ? "stopped" : "requeued";
  }

  /** The decoded {name} segment, or null when absent or when it contains a further path. */
  private static String destinationName(HttpServletRequest req) {
    String path = req.getPathInfo();
    if (path == null || path.length() < 2) return null;
    String name = path.substring(1);
    return name.contains("/") ? null : name;
  }

  /** A known status code, or null (no filter); anything else is ignored rather than echoed. */
  static String statusFilter(String value) {
    return value != null && TransferStatus.known(value) ? value : null;
  }

  private static long parseId(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
