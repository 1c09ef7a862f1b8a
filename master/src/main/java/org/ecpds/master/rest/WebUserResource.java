package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.master.domain.WebUser;
import org.ecpds.master.service.UserService;

/** Creating web users (monitor and REST operators, or read-only monitor users); operators only. */
@Path("web/user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class WebUserResource {
  private final UserService users;

  public WebUserResource(UserService users) {
    this.users = users;
  }

  /** @param role "admin" (an operator) or "read-only"; the rules are UserService's */
  public record Body(String name, String password, String role) {}

  @POST
  @ApiService("webUserCreate")
  public Map<String, Object> create(@Context ContainerRequestContext ctx, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    WebUser u = users.createWebUser(body.name(), body.password(), body.role() == null ? "" : body.role());
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", u.name());
    view.put("role", u.operator() ? WebUser.OPERATOR : WebUser.READ_ONLY);
    view.put("enabled", u.enabled());
    return Views.ok("user", view);
  }
}
