package org.ecpds.monitor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the session server-side and drops the cookie. GET is accepted too: with SameSite=Strict no
 * other site can make the browser send the cookie, so a forged logout link is harmless.
 */
final class LogoutServlet extends BaseServlet {
  private static final Logger LOG = LoggerFactory.getLogger(LogoutServlet.class);
  LogoutServlet(MasterClient master, SessionStore sessions) {
    super(master, sessions);
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    logout(req, resp);
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    logout(req, resp);
  }

  private void logout(HttpServletRequest req, HttpServletResponse resp) {
    String id = Cookies.read(req, Cookies.SESSION);
    sessions.find(id).map(Session::masterToken).filter(t -> !t.isEmpty()).ifPresent(this::endOnMaster);
    sessions.invalidate(id);
    Cookies.clear(resp, Cookies.SESSION);
    redirect(resp, "/login");
  }

  /** Best effort: a master that cannot be told forgets the token when it expires or restarts. */
  private void endOnMaster(String token) {
    try {
      master.logout(token);
    } catch (StatusRuntimeException e) {
      LOG.warn("could not end the session on the master: {}", e.getStatus());
    }
  }
}
