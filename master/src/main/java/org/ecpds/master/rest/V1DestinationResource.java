package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ecpds.master.scheduler.OperatorActions;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.UserService.Principal;
import org.ecpds.master.service.config.ConfigDocument;
import org.ecpds.master.service.config.ConfigService;

/**
 * OpenECPDS's v1 destination/list and destination/backup (export and restore). A backup is the
 * destinations part of a configuration document (GET /config): the destinations with their host
 * links and aliases, and the hosts they use.
 */
@Path("destination")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class V1DestinationResource {
  private final DestinationService destinations;
  private final UserService users;
  private final OperatorActions actions;
  private final ConfigService config;

  public V1DestinationResource(DestinationService destinations, UserService users, OperatorActions actions,
      ConfigService config) {
    this.destinations = destinations;
    this.users = users;
    this.actions = actions;
    this.config = config;
  }

  /** Body of PUT destination/backup: {"backup": document}. */
  public record Restore(ConfigDocument backup) {}

  @GET
  @Path("list")
  @ApiService("destinationList")
  public Map<String, Object> list(@Context ContainerRequestContext ctx, @Context UriInfo uri) {
    users.requireAdmin(Caller.of(ctx));
    Predicate<String> match = filter(V1Params.of(uri, null, null));
    var states = actions.states();
    return Views.ok("destinations", destinations.list().stream().filter(d -> match.test(d.name()))
        .map(d -> Views.destination(d, states.get(d.id()))).toList());
  }

  @GET
  @Path("backup")
  @ApiService("destinationBackupList")
  public Map<String, Object> backup(@Context ContainerRequestContext ctx, @Context UriInfo uri) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("backup", config.backup(filter(V1Params.of(uri, null, null))));
  }

  @GET
  @Path("backup/{name}")
  @ApiService("destinationBackupList")
  public Map<String, Object> backupOne(@Context ContainerRequestContext ctx, @PathParam("name") String name) {
    users.requireAdmin(Caller.of(ctx));
    destinations.get(name); // 404 for an unknown destination
    return Views.ok("backup", config.backup(name::equals));
  }

  /** Creates or updates what the backup holds; removes nothing. */
  @PUT
  @Path("backup")
  @ApiService("putDestinationBackup")
  public Map<String, Object> restore(@Context ContainerRequestContext ctx, @QueryParam("copySharedHost") String copy,
      @QueryParam("dryRun") String dryRun, Restore body) {
    Principal who = Caller.of(ctx);
    users.requireAdmin(who);
    if (V1Params.flag("copySharedHost", copy)) {
      throw new IllegalArgumentException("copySharedHost=true is not supported: ecpds restores hosts by name, "
          + "updating a host that exists");
    }
    if (body == null || body.backup() == null) throw new IllegalArgumentException("a JSON body {\"backup\": {...}} is required");
    ConfigDocument b = body.backup();
    if (b.incomingUsers() != null || b.webUsers() != null) {
      throw new IllegalArgumentException("backup: only hosts and destinations can be restored here (use POST /config)");
    }
    return ConfigResource.applied(config.restore(b, V1Params.flag("dryRun", dryRun), who.name()));
  }

  /**
   * OpenECPDS's list filters: {@code id}, a regex the whole name must match. ecpds destinations have
   * no country or type, so {@code iso} and {@code type} are refused rather than silently ignored.
   */
  private static Predicate<String> filter(V1Params p) {
    for (String unsupported : new String[] {"iso", "type"}) {
      if (p.optional(unsupported) != null) {
        throw new IllegalArgumentException("parameter '" + unsupported + "' is not supported: ecpds destinations have no "
            + ("iso".equals(unsupported) ? "country" : "type"));
      }
    }
    String id = p.optional("id");
    if (id == null) return n -> true;
    try {
      Pattern regex = Pattern.compile(id);
      return n -> regex.matcher(n).matches();
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("parameter 'id' is not a valid regex: " + e.getDescription());
    }
  }
}
