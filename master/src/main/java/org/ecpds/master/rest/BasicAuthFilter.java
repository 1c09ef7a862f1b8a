package org.ecpds.master.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.UserService.Principal;

/** Basic authentication on everything but /version; the principal is left in a request property. */
@Priority(Priorities.AUTHENTICATION)
public final class BasicAuthFilter implements ContainerRequestFilter {
  public static final String PRINCIPAL = "ecpds.principal";
  private final UserService users;

  public BasicAuthFilter(UserService users) {
    this.users = users;
  }

  @Override
  public void filter(ContainerRequestContext ctx) {
    String path = ctx.getUriInfo().getPath();
    if (path.equals("version") || path.equals("/version")) return;
    Optional<Principal> who = parse(ctx.getHeaderString(HttpHeaders.AUTHORIZATION))
        .flatMap(up -> users.authenticate(up[0], up[1]));
    if (who.isEmpty()) {
      ctx.abortWith(jakarta.ws.rs.core.Response.fromResponse(ApiErrors.error(401, "authentication required or invalid credentials"))
          .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ecpds\", charset=\"UTF-8\"").build());
      return;
    }
    ctx.setProperty(PRINCIPAL, who.get());
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
