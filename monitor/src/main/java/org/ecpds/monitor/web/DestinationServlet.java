package org.ecpds.monitor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.ecpds.proto.DestinationDetailReply;

/**
 * "/destination/{name}": GET shows the destination and its transfers; POST forwards one action
 * form (a transfer's or the destination's, see {@link ActionHandler}) for the logged-in operator
 * and redirects back with the master's answer as a flash (post/redirect/get, so reloading the
 * page never repeats an action).
 */
final class DestinationServlet extends BaseServlet {
  /** How many transfers one page asks the master for. */
  static final int LIMIT = 500;
  private final transient ActionHandler actions;

  DestinationServlet(MasterClient master, SessionStore sessions) {
    super(master, sessions);
    this.actions = new ActionHandler(master);
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
    sendPage(resp, 200, Layout.page(name, session, crumbs, takeFlash(req, session), RatePlot.render(name),
        DestinationView.render(name, reply, session, filter), true));
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Session session = requireSession(req, resp);
    if (session == null) return;
    if (!session.csrfMatches(req.getParameter("csrf"))) {
      sendRefusal(resp, session, 403, "This form was not sent by your monitor session; reload the page and retry.");
      return;
    }
    String name = destinationName(req);
    ActionHandler.Refusal refused = actions.handle(req, session, name);
    String back = name == null ? "/" : "/destination/" + Format.pathSegment(name);
    if (refused != null) {
      sendRefusal(resp, session, refused.status(), refused.message(), back);
      return;
    }
    String filter = statusFilter(req.getParameter("status"));
    redirect(resp, back + (filter == null ? "" : "?status=" + filter));
  }

  /** The decoded {name} segment, or null when absent or when it contains a further path. */
  private static String destinationName(HttpServletRequest req) {
    String path = req.getPathInfo();
    if (path == null || path.length() < 2) return null;
    String name = path.substring(1);
    return name.contains("/") ? null : name;
  }

  /** A protocol status code, or null (no filter); anything else is ignored rather than echoed. */
  static String statusFilter(String value) {
    return StatusCodes.known(value) ? value : null;
  }
}
