package org.ecpds.monitor.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Ends the session server-side and drops the cookie. GET is accepted too: with SameSite=Strict no
 * other site can make the browser send the cookie, so a forged logout link is harmless.
 */
final class LogoutServlet extends BaseServlet {
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
    sessions.invalidate(Cookies.read(req, Cookies.SESSION));
    Cookies.clear(resp, Cookies.SESSION);
    redirect(resp, "/login");
  }
}
