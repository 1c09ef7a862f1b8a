package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.IncomingProfiles;
import org.ecpds.master.service.UserService;

/**
 * OpenECPDS's v1 data-user calls (incoming/user/add, add2, list, del) beside ecpds's own
 * /incoming/user paths; parameters come from the query string or a form body.
 */
@Path("incoming/user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class V1IncomingUserResource {
  private final UserService users;
  private final IncomingProfiles profiles;
  private final DestinationService destinations;

  public V1IncomingUserResource(UserService users, IncomingProfiles profiles, DestinationService destinations) {
    this.users = users;
    this.destinations = destinations;
    this.profiles = profiles;
  }

  /** The v1 shape of a data user. */
  public record V1User(String id, String email, String iso, boolean enabled, List<String> categories) {}

  V1User view(IncomingUser u) {
    return new V1User(u.name(), u.email(), profiles.iso(u.name()), u.enabled(), profiles.categories(u.name()));
  }

  @POST
  @Path("add")
  @ApiService("incomingUserAdd")
  public Map<String, Object> add(@Context ContainerRequestContext ctx, @Context UriInfo uri,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, String body) {
    users.requireAdmin(Caller.of(ctx));
    V1Params p = V1Params.of(uri, type, body);
    String id = p.required("id");
    String pass = p.required("pass");
    String iso = IncomingProfiles.checkIso(p.optional("iso")); // refused before the user exists
    IncomingUser u = users.createIncoming(id, pass, p.optional("email"));
    profiles.setIso(id, iso);
    return Views.ok("user", view(u));
  }

  /** Creates a user without a password (it logs in with keys only), or updates email and iso. */
  @POST
  @Path("add2")
  @ApiService("incomingUserAdd2")
  public Map<String, Object> add2(@Context ContainerRequestContext ctx, @Context UriInfo uri,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, String body) {
    users.requireAdmin(Caller.of(ctx));
    V1Params p = V1Params.of(uri, type, body);
    String id = p.required("id");
    String iso = IncomingProfiles.checkIso(p.optional("iso"));
    if (users.findIncoming(id).isPresent()) users.updateIncoming(id, null, p.optional("email"), null);
    else users.putIncomingHashed(id, "", p.optional("email"), true);
    if (p.optional("iso") != null) profiles.setIso(id, iso);
    return Views.ok("user", view(users.incoming(id)));
  }

  @GET
  @Path("list")
  @ApiService("incomingUserList")
  public Map<String, Object> list(@Context ContainerRequestContext ctx, @Context UriInfo uri) {
    users.requireAdmin(Caller.of(ctx));
    String destination = V1Params.of(uri, null, null).optional("destination");
    List<IncomingUser> all = users.listIncoming();
    if (destination != null) {
      destinations.get(destination); // 404 for an unknown destination
      all = all.stream().filter(u -> users.permissions(u.id()).stream()
          .anyMatch(x -> x.destination().equals(destination))).toList();
    }
    return Views.ok("users", all.stream().map(this::view).toList());
  }

  @DELETE
  @Path("del/{id}")
  @ApiService("incomingUserDel")
  public Map<String, Object> delete(@Context ContainerRequestContext ctx, @PathParam("id") String id) {
    users.requireAdmin(Caller.of(ctx));
    users.deleteIncoming(id);
    return Views.ok();
  }
}
