package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.UserService.Principal;
import org.ecpds.master.service.config.ConfigDocument;
import org.ecpds.master.service.config.ConfigService;

/** Declarative configuration: GET the whole document, POST one to apply it (operators). */
@Path("config")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ConfigResource {
  private final ConfigService config;
  private final UserService users;

  public ConfigResource(ConfigService config, UserService users) {
    this.config = config;
    this.users = users;
  }

  @GET
  @ApiService("configExport")
  public Map<String, Object> export(@Context ContainerRequestContext ctx) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("config", config.export());
  }

  @POST
  @ApiService("configApply")
  public Map<String, Object> apply(@Context ContainerRequestContext ctx, @QueryParam("dryRun") String dryRun,
      ConfigDocument document) {
    Principal who = Caller.of(ctx);
    users.requireAdmin(who);
    return applied(config.apply(document, V1Params.flag("dryRun", dryRun), who.name()));
  }

  static Map<String, Object> applied(ConfigService.Applied a) {
    Map<String, Object> m = Views.ok();
    m.put("dryRun", a.dryRun());
    m.put("changes", a.diff().count());
    m.put("diff", a.diff().sections());
    return m;
  }
}
