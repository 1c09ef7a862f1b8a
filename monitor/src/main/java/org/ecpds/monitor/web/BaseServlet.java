package org.ecpds.monitor.web;

import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Common ground of the pages: security headers, the session check, and turning failures into a
 * readable banner (master down, bad request) rather than a container error page.
 */
abstract class BaseServlet extends HttpServlet {
  private static final Logger LOG = LoggerFactory.getLogger(BaseServlet.class);
  /** Only our own stylesheet and script run; no framing (clickjacking), forms post only to us. */
  static final String CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; "
      + "form-action 'self'; frame-ancestors 'none'";
  /** Set by monitor.js on its background refreshes. */
  static final String LIVE_HEADER = "X-Ecpds-Live";

  protected final transient MasterClient master;
  protected final transient SessionStore sessions;

  BaseServlet(MasterClient master, SessionStore sessions) {
    this.master = master;
    this.sessions = sessions;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    securityHeaders(resp);
    try {
      super.service(req, resp);
    } catch (StatusRuntimeException e) {
      LOG.warn("master call failed for {} {}: {}", req.getMethod(), req.getRequestURI(), e.getStatus());
      if (!resp.isCommitted()) {
        Session session = sessions.find(Cookies.read(req, Cookies.SESSION)).orElse(null);
        sendPage(resp, MasterErrors.httpStatus(e), Layout.page("Error", session,
            List.of(new Layout.Crumb("Home", "/")), null, Layout.banner(MasterErrors.describe(e, master)), true));
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      LOG.error("request {} {} failed", req.getMethod(), req.getRequestURI(), e);
      if (!resp.isCommitted()) {
        sendPage(resp, 500, Layout.page("Error", null, List.of(new Layout.Crumb("Home", "/")), null,
            Layout.banner("Internal error in the monitor; the details are in its log."), false));
      }
    }
  }

  static void securityHeaders(HttpServletResponse resp) {
    resp.setHeader("Content-Security-Policy", CSP);
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("X-Frame-Options", "DENY");
    resp.setHeader("Referrer-Policy", "same-origin");
    // HSTS is deliberately not sent: it would bind every port of the host name to HTTPS, including
    // unrelated services; this listener refuses plain HTTP anyway.
  }

  /** The logged-in session, or empty. */
  protected Optional<Session> session(HttpServletRequest req) {
    return sessions.find(Cookies.read(req, Cookies.SESSION));
  }

  /**
   * The session, or null after redirecting to the login page. GETs come back to the requested
   * page after login; POSTs cannot be replayed, so they return to the page they came from.
   */
  protected Session requireSession(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Optional<Session> s = session(req);
    if (s.isPresent()) return s.get();
    String back = req.getRequestURI() + ("GET".equals(req.getMethod()) && req.getQueryString() != null
        ? "?" + req.getQueryString() : "");
    redirect(resp, "/login?next=" + java.net.URLEncoder.encode(back, StandardCharsets.UTF_8));
    return null;
  }

  /** Background refreshes must not consume a flash meant for the page the operator sees. */
  static boolean isLiveRefresh(HttpServletRequest req) {
    return req.getHeader(LIVE_HEADER) != null;
  }

  static Session.Flash takeFlash(HttpServletRequest req, Session session) {
    return isLiveRefresh(req) ? null : session.takeFlash();
  }

  static void redirect(HttpServletResponse resp, String location) {
    resp.setStatus(HttpServletResponse.SC_SEE_OTHER);
    resp.setHeader("Location", location);
  }

  static void sendPage(HttpServletResponse resp, int status, String html) throws IOException {
    resp.setStatus(status);
    resp.setHeader("Cache-Control", "no-store");
    resp.setContentType("text/html;charset=utf-8");
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  /** A refused request (bad CSRF token, malformed form): a banner on an otherwise empty page. */
  static void sendRefusal(HttpServletResponse resp, Session session, int status, String message)
      throws IOException {
    sendRefusal(resp, session, status, message, "/");
  }

  /** As above, with a link back to the page the form came from. */
  static void sendRefusal(HttpServletResponse resp, Session session, int status, String message, String back)
      throws IOException {
    String content = Layout.banner(message)
        + new Html().raw("<p><a id=\"back\"").attr("href", back).raw(">Back</a></p>");
    sendPage(resp, status, Layout.page("Refused", session, List.of(new Layout.Crumb("Home", "/")), null,
        content, false));
  }
}
