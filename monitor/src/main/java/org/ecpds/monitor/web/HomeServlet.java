package org.ecpds.monitor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/** "/": the movers and the destinations with their transfer counts per status. */
final class HomeServlet extends BaseServlet {
  HomeServlet(MasterClient master, SessionStore sessions) {
    super(master, sessions);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    // Mapped as the context root (""), so anything else lands in the default servlet's 404.
    Session session = requireSession(req, resp);
    if (session == null) return;
    String content = HomeView.render(master.overview());
    sendPage(resp, 200, Layout.page("Overview", session, List.of(new Layout.Crumb("Overview", null)),
        takeFlash(req, session), content, true));
  }
}
