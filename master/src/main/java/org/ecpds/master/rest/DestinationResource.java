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
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.UserService;

@Path("destination")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class DestinationResource {
  private final DestinationService destinations;
  private final UserService users;

  public DestinationResource(DestinationService destinations, UserService users) {
    this.destinations = destinations;
    this.users = users;
  }

  /** Request body of create and update; absent fields keep their current (or default) value. */
  public record Body(String name, String comment, Boolean enabled, Integer maxConnections, Integer retryCount,
      Long retryFrequency, Integer maxRequeue, String onHostFailure) {
    DestinationService.Settings settings() {
      return new DestinationService.Settings(comment, enabled, maxConnections, retryCount, retryFrequency, maxRequeue,
          onHostFailure);
    }
  }

  public record Association(Integer priority) {}

  @GET
  public Map<String, Object> list(@Context ContainerRequestContext ctx) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("destinations", destinations.list().stream().map(Views::destination).toList());
  }

  @POST
  public Map<String, Object> create(@Context ContainerRequestContext ctx, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    return Views.ok("destination", Views.destination(destinations.create(body.name(), body.settings())));
  }

  @GET
  @Path("{name}")
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @PathParam("name") String name) {
    users.requireAdmin(Caller.of(ctx));
    Map<String, Object> d = new LinkedHashMap<>(Views.destination(destinations.get(name)));
    d.put("hosts", destinations.hosts(name).stream().map(a -> Map.of("host", a.host().name(), "priority", a.priority()))
        .toList());
    d.put("aliases", destinations.aliases(name));
    return Views.ok("destination", d);
  }

  @PUT
  @Path("{name}")
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
  public Map<String, Object> delete(@Context ContainerRequestContext ctx, @PathParam("name") String name) {
    users.requireAdmin(Caller.of(ctx));
    destinations.delete(name);
    return Views.ok();
  }

  @PUT
  @Path("{name}/host/{host}")
  public Map<String, Object> associate(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("host") String host, Association body) {
    users.requireAdmin(Caller.of(ctx));
    destinations.associate(name, host, body == null || body.priority() == null ? 0 : body.priority());
    return Views.ok();
  }

  @DELETE
  @Path("{name}/host/{host}")
  public Map<String, Object> dissociate(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("host") String host) {
    users.requireAdmin(Caller.of(ctx));
    destinations.dissociate(name, host);
    return Views.ok();
  }

  @PUT
  @Path("{name}/alias/{target}")
  public Map<String, Object> addAlias(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("target") String target) {
    users.requireAdmin(Caller.of(ctx));
    destinations.addAlias(name, target);
    return Views.ok();
  }

  @DELETE
  @Path("{name}/alias/{target}")
  public Map<String, Object> removeAlias(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @PathParam("target") String target) {
    users.requireAdmin(Caller.of(ctx));
    destinations.removeAlias(name, target);
    return Views.ok();
  }
}
