package org.ecpds.monitor.web;

import io.grpc.StatusRuntimeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.LoginGuard.Attempt;
import org.ecpds.proto.LoginReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The login form. Credentials are checked by the master (AdminService.Login); the monitor keeps
 * no user database. The form is protected against login CSRF by a double-submit token: a random
 * value in both a SameSite cookie and a hidden field, which a foreign site cannot read or set.
 * Refused logins go through the {@link LoginGuard} here, where the browser's address is known (the
 * master only sees the monitor's): a DEA line, and a 429 page with Retry-After while the address or
 * the user is being slowed down. The wait is never slept on, which would pin a monitor thread.
 */
final class LoginServlet extends BaseServlet {
  private static final Logger LOG = LoggerFactory.getLogger(LoginServlet.class);
  private static final Duration LOGIN_FORM_LIFETIME = Duration.ofHours(1);

  static final String PROTOCOL = "monitor";
  private final LoginGuard guard;

  LoginServlet(MasterClient master, SessionStore sessions, LoginGuard guard) {
    super(master, sessions);
    this.guard = guard;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (session(req).isPresent()) {
      redirect(resp, safeNext(req.getParameter("next")));
      return;
    }
    form(resp, 200, req.getParameter("next"), "", null);
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String next = req.getParameter("next");
    if (!tokenMatches(Cookies.read(req, Cookies.LOGIN), req.getParameter("login_token"))) {
      form(resp, 403, next, "", "The login form expired or was not sent by this monitor; please try again.");
      return;
    }
    String user = trim(req.getParameter("user"));
    String password = req.getParameter("password") == null ? "" : req.getParameter("password");
    if (user.isEmpty() || password.isEmpty()) {
      form(resp, 400, next, user, "Enter a user name and a password.");
      return;
    }
    Attempt attempt = new Attempt(PROTOCOL, PROTOCOL, req.getRemoteAddr(), user);
    Duration wait = guard.waitBefore(attempt);
    if (!wait.isZero()) {
      tooManyAttempts(resp, next, user, wait);
      return;
    }
    LoginReply reply;
    try {
      reply = master.login(user, password);
    } catch (StatusRuntimeException e) {
      LOG.warn("login of {} impossible: {}", printable(user), e.getStatus());
      form(resp, MasterErrors.httpStatus(e), next, user, "Cannot log in now: " + MasterErrors.describe(e, master));
      return;
    }
    if (!reply.getOk()) {
      LOG.info("login refused for {}", printable(user));
      Duration hold = guard.refused(attempt, "Monitor login failed");
      if (!hold.isZero()) {
        tooManyAttempts(resp, next, user, hold);
        return;
      }
      String why = reply.getMessage().isBlank() ? "Invalid user name or password." : reply.getMessage();
      form(resp, 200, next, user, "Login failed: " + why);
      return;
    }
    guard.accepted(attempt);
    Session session = sessions.create(user, reply.getReadOnly(), reply.getSessionToken());
    LOG.info("{} logged in to the monitor", printable(user));
    Cookies.clear(resp, Cookies.LOGIN);
    Cookies.set(resp, Cookies.SESSION, session.id(), SessionStore.ABSOLUTE);
    redirect(resp, safeNext(next));
  }

  private void tooManyAttempts(HttpServletResponse resp, String next, String user, Duration wait) throws IOException {
    long seconds = LoginGuard.retryAfterSeconds(wait);
    resp.setHeader("Retry-After", Long.toString(seconds));
    form(resp, 429, next, user, "Too many failed logins; try again in " + seconds + " s.");
  }

  /** Renders the form with a fresh double-submit token. */
  private void form(HttpServletResponse resp, int status, String next, String user, String error)
      throws IOException {
    String token = SessionStore.randomToken();
    Cookies.set(resp, Cookies.LOGIN, token, LOGIN_FORM_LIFETIME);
    Html h = new Html();
    h.raw("<section class=\"login\"><h1>Sign in</h1>");
    if (error != null) h.raw("<div class=\"banner error\" id=\"login-error\" role=\"alert\">").text(error).raw("</div>");
    h.raw("<form method=\"post\" action=\"/login\" id=\"login-form\">")
        .raw("<input type=\"hidden\" name=\"login_token\"").attr("value", token).raw(">")
        .raw("<input type=\"hidden\" name=\"next\"").attr("value", safeNext(next)).raw(">")
        .raw("<label for=\"user\">User</label><input id=\"user\" name=\"user\" autocomplete=\"username\" required autofocus")
        .attr("value", user).raw(">")
        .raw("<label for=\"password\">Password</label>")
        .raw("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
        .raw("<button type=\"submit\" id=\"login-submit\">Sign in</button></form></section>");
    sendPage(resp, status, Layout.page("Sign in", null, List.of(new Layout.Crumb("Sign in", null)), null,
        h.toString(), false));
  }

  private static boolean tokenMatches(String cookie, String field) {
    return cookie != null && field != null && !cookie.isEmpty()
        && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.US_ASCII));
  }

  /** Only same-site absolute paths, so the login page cannot be used as an open redirect. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
        || next.startsWith("/login") || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      return "/";
    }
    return next;
  }

  private static String trim(String s) {
    return s == null ? "" : s.strip();
  }

  /** User input goes to the log without control characters (no forged log lines). */
  private static String printable(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }
}
