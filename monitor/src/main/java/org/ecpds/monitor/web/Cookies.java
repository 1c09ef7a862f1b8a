package org.ecpds.monitor.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;

/**
 * The monitor's cookies. The "__Host-" prefix makes browsers refuse them unless Secure, host-only
 * and Path=/, so a sibling subdomain cannot plant or overwrite them. Set-Cookie is written by hand
 * because SameSite has to be exact.
 */
final class Cookies {
  /** The session id. */
  static final String SESSION = "__Host-ecpds-monitor";
  /** Double-submit token of the login form (there is no session yet to bind a CSRF token to). */
  static final String LOGIN = "__Host-ecpds-login";

  private Cookies() {}

  static String read(HttpServletRequest request, String name) {
    Cookie[] cookies = request.getCookies();
    if (cookies == null) return null;
    for (Cookie c : cookies) {
      if (name.equals(c.getName())) return c.getValue();
    }
    return null;
  }

  static void set(HttpServletResponse response, String name, String value, Duration maxAge) {
    response.addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + maxAge.toSeconds()
        + "; Secure; HttpOnly; SameSite=Strict");
  }

  static void clear(HttpServletResponse response, String name) {
    set(response, name, "", Duration.ZERO);
  }
}
