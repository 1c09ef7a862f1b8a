package org.ecpds.master.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.ecpds.master.service.UserService.Principal;

/** The authenticated principal of the current request. */
final class Caller {
  private Caller() {}

  static Principal of(ContainerRequestContext ctx) {
    Object p = ctx.getProperty(BasicAuthFilter.PRINCIPAL);
    if (p instanceof Principal principal) return principal;
    throw new org.ecpds.master.domain.ForbiddenException("not authenticated");
  }
}
