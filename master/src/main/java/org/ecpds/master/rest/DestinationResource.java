package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.DestinationAction;
import org.ecpds.master.scheduler.OperatorActions;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.UserService;

@Path("destination")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class DestinationResource {
  private final DestinationService destinations;
  private final UserService users;

  private final OperatorActions actions;

  public DestinationResource(DestinationService destinations, UserService users, OperatorActions actions) {
    this.destinations = destinations;
    this.users = users;
    this.actions = actions;
  }

  /**
   * Request body of create and update; absent fields keep their current (or default) value.
   * Durations (retryFrequency, startFrequency, resetFrequency) are milliseconds.
   */
  public record Body(String name, String comment, Boolean enabled, Integer maxConnections, Integer retryCount,
      Long retryFrequency, Integer maxRequeue, String onHostFailure, Integer maxStart, Long startFrequency,
      Integer maxPending, Long maxFileSize, Long resetFrequency, String ifTargetExists, String deleteFromSpool,
      String properties) {
    DestinationService.Settings settings() {
      return new DestinationService.Settings(comment, enabled, maxConnections, retryCount, retryFrequency, maxRequeue,
          onHostFailure, maxStart, startFrequency, maxPending, maxFileSize, resetFrequency, ifTargetExists,
          deleteFromSpool, properties);
    }
  }

  /** Body of an alias: its alias.pattern spec (conditions and overrides), optional. */
  public record AliasBody(String spec) {}

  public record Association(Integer priority) {}

  @GET
  @ApiService("destinationList")
  public Map<String, Object> list(@Context ContainerRequestContext ctx) {
    users.requireAdmin(Caller.of(ctx));
    var states = actions.states();
    return Views.ok("destinations", destinations.list().stream().map(d -> Views.destination(d, states.get(d.id())))
        .toList());
  }

  @POST
  @ApiService("destinationAdd")
  public Map<String, Object> create(@Context ContainerRequestContext ctx, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    return Views.ok("destination", Views.destination(destinations.create(body.name(), body.settings())));
  }

  @GET
  @Path("{name}")
  @ApiService(ApiService.AUTH_ONLY) // OpenECPDS's GET /v1/destination/{name}
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @PathParam("name") String name) {
    users.requireAdmin(Caller.of(ctx));
    var dest = destinations.get(name);
    Map<String, Object> d = new LinkedHashMap<>(Views.destination(dest, actions.states().get(dest.id())));
    d.put("hosts", destinations.hosts(name).stream().map(a -> Map.of("host", a.host().name(), "priority", a.priority()))
        .toList());
    d.put("aliases", destinations.aliases(name));
    return Views.ok("destination", d);
  }

  @PUT
  @Path("{name}")
  @ApiService("destinationUpdate")
  public Map<String, Object> update(@Context ContainerRequestContext ctx, @PathParam("name") String name, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    if (body.name() != null && !body.name().equals(name)) {
      throw new IllegalArgumentException("a destination cannot be renamed (body name '" + body.name() + "' differs from '" + name + "')");
    }
    return Views.ok("destination", Views.destination(destinations.update(name, body.settings())));
  }

  @DELETE
  @Path("{name}")
  @ApiService("destinationDel")
  public Map<String, Object> delete(@Context ContainerRequestContext ctx, @PathParam("name") String name) {
    users.requireAdmin(Caller.of(ctx));
    destinations.delete(name);
    return Views.ok();
  }

  @PUT
  @Path("{name}/host/{host}")
  @ApiService("destinationHostAdd")
  public Map<String, Object> associate(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("host") String host, Association body) {
    users.requireAdmin(Caller.of(ctx));
    destinations.associate(name, host, body == null || body.priority() == null ? 0 : body.priority());
    return Views.ok();
  }

  @DELETE
  @Path("{name}/host/{host}")
  @ApiService("destinationHostDel")
  public Map<String, Object> dissociate(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("host") String host) {
    users.requireAdmin(Caller.of(ctx));
    destinations.dissociate(name, host);
    return Views.ok();
  }

  @PUT
  @Path("{name}/alias/{target}")
  @ApiService("destinationAliasAdd")
  public Map<String, Object> addAlias(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("target") String target, AliasBody body) {
    users.requireAdmin(Caller.of(ctx));
    destinations.addAlias(name, target, body == null ? "" : body.spec());
    return Views.ok();
  }

  /** Operator actions: hold, release, stop, restart, clean, requeue-all (those the state allows). */
  @POST
  @Path("{name}/{action: hold|release|stop|restart|clean|requeue-all}")
  @ApiService("destinationAction")
  public Map<String, Object> action(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("action") String action) {
    Destination d = actions.destination(Caller.of(ctx), name, DestinationAction.parse(action));
    return Views.ok("destination", Views.destination(d, actions.states().get(d.id())));
  }

  @DELETE
  @Path("{name}/alias/{target}")
  @ApiService("destinationAliasDel")
  public Map<String, Object> removeAlias(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("target") String target) {
    users.requireAdmin(Caller.of(ctx));
    destinations.removeAlias(name, target);
    return Views.ok();
  }
}
