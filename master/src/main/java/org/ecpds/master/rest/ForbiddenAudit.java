package org.ecpds.master.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.Map;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.LoginGuard.Attempt;
import org.ecpds.master.service.UserService.Principal;

/**
 * A DEA line for every permission refusal (403) of the REST API, whichever resource or service
 * raised it: one filter on the way out instead of one call next to every permission check.
 */
@jakarta.ws.rs.ext.Provider
final class ForbiddenAudit implements ContainerResponseFilter {
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getStatus() != 403) return;
    String user = request.getProperty(BasicAuthFilter.PRINCIPAL) instanceof Principal p ? p.name() : "";
    Object client = request.getProperty(BasicAuthFilter.CLIENT);
    String message = response.getEntity() instanceof Map<?, ?> body && body.get("message") != null
        ? String.valueOf(body.get("message")) : "forbidden";
    LoginGuard.forbidden(new Attempt(BasicAuthFilter.PROTOCOL, BasicAuthFilter.PROCESS,
        client == null ? "" : client.toString(), user), request.getMethod() + " " + request.getUriInfo().getPath()
        + ": " + message);
  }
}
