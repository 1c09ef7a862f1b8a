package org.ecpds.master.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.time.Duration;
import java.util.Optional;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.LoginGuard.Attempt;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.UserService.Principal;

/**
 * Basic authentication on everything but /version; the principal and the client address are left
 * in request properties. Refused credentials go through the {@link LoginGuard}: a DEA line, and a
 * 429 with Retry-After (instead of 401) while the address or the user is being slowed down. The
 * guard's delay is never slept on: that would pin one of the REST threads per attempt.
 */
@Priority(Priorities.AUTHENTICATION)
public final class BasicAuthFilter implements ContainerRequestFilter {
  public static final String PRINCIPAL = "ecpds.principal";
  public static final String CLIENT = "ecpds.client";
  static final String PROTOCOL = "rest";
  static final String PROCESS = "master";
  private final UserService users;
  private final LoginGuard guard;
  @Context private HttpServletRequest servletRequest;

  public BasicAuthFilter(UserService users, LoginGuard guard) {
    this.users = users;
    this.guard = guard;
  }

  @Override
  public void filter(ContainerRequestContext ctx) {
    String path = ctx.getUriInfo().getPath();
    if (path.equals("version") || path.equals("/version")) return;
    String client = servletRequest.getRemoteAddr();
    ctx.setProperty(CLIENT, client);
    String header = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null) { // no login attempted yet: the usual challenge, nothing to count
      ctx.abortWith(unauthorized());
      return;
    }
    Optional<String[]> credentials = parse(header);
    Attempt attempt = new Attempt(PROTOCOL, PROCESS, client, credentials.map(up -> up[0]).orElse(""));
    Duration wait = guard.waitBefore(attempt);
    if (!wait.isZero()) {
      ctx.abortWith(tooManyAttempts(wait));
      return;
    }
    Optional<Principal> who = credentials.flatMap(up -> users.authenticate(up[0], up[1]));
    if (who.isEmpty()) {
      Duration hold = guard.refused(attempt, credentials.isEmpty() ? "Malformed Basic authorization header"
          : "Invalid user name or password");
      ctx.abortWith(hold.isZero() ? unauthorized() : tooManyAttempts(hold));
      return;
    }
    guard.accepted(attempt);
    ctx.setProperty(PRINCIPAL, who.get());
  }

  private static Response unauthorized() {
    return Response.fromResponse(ApiErrors.error(401, "authentication required or invalid credentials"))
        .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ecpds\", charset=\"UTF-8\"").build();
  }

  /** 429 with the wait in whole seconds. */
  static Response tooManyAttempts(Duration wait) {
    long seconds = LoginGuard.retryAfterSeconds(wait);
    return Response.fromResponse(ApiErrors.error(429,
        "too many failed logins; retry in " + seconds + " s")).header(HttpHeaders.RETRY_AFTER, seconds).build();
  }

  private static Optional<String[]> parse(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
    try {
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) return Optional.empty();
      return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
