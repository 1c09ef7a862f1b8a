package org.ecpds.master.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.UserService;

@Path("mover")
@Produces(MediaType.APPLICATION_JSON)
public final class MoverResource {
  private final MoverRegistry movers;
  private final UserService users;

  public MoverResource(MoverRegistry movers, UserService users) {
    this.movers = movers;
    this.users = users;
  }

  @GET
  @ApiService("moverList")
  public Map<String, Object> list(@Context ContainerRequestContext ctx) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("movers", movers.views());
  }
}
