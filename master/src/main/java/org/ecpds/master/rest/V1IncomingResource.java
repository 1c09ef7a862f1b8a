package org.ecpds.master.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.service.IncomingProfiles;
import org.ecpds.master.service.UserService;

/** OpenECPDS's v1 incoming/category and incoming/association calls. */
@Path("incoming")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class V1IncomingResource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final UserService users;
  private final IncomingProfiles profiles;

  public V1IncomingResource(UserService users, IncomingProfiles profiles) {
    this.users = users;
    this.profiles = profiles;
  }

  /** Adds the categories of the JSON array body (["a","b"]) to user {@code id}; returns all of them. */
  @POST
  @Path("category/add")
  @ApiService("incomingCategoryAdd")
  public Map<String, Object> addCategories(@Context ContainerRequestContext ctx, @Context UriInfo uri,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, String body) {
    users.requireAdmin(Caller.of(ctx));
    String id = V1Params.of(uri, null, null).required("id");
    List<String> given = categories(body);
    TreeSet<String> all = new TreeSet<>(profiles.categories(id));
    all.addAll(given);
    profiles.setCategories(id, new ArrayList<>(all));
    return Views.ok("categories", profiles.categories(id));
  }

  private static List<String> categories(String body) {
    JsonNode n;
    try {
      n = JSON.readTree(body == null || body.isBlank() ? "null" : body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body must be a JSON array of category names: " + JsonErrors.describe(e));
    }
    if (n == null || !n.isArray()) throw new IllegalArgumentException("the body must be a JSON array of category names");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) throw new IllegalArgumentException("body[" + i + "] must be a string");
      out.add(n.get(i).asText());
    }
    return out;
  }

  /** Links user {@code id} to {@code destination} with the default rights (get, dir, size, mtime); a link kept as is. */
  @POST
  @Path("association/add")
  @ApiService("incomingAssociationAdd")
  public Map<String, Object> associate(@Context ContainerRequestContext ctx, @Context UriInfo uri,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, String body) {
    users.requireAdmin(Caller.of(ctx));
    V1Params p = V1Params.of(uri, type, body);
    String id = p.required("id");
    String destination = p.required("destination");
    if (users.permissions(id).stream().noneMatch(x -> x.destination().equals(destination))) {
      users.grant(id, destination, Permission.Rights.defaults());
    }
    return Views.ok("destinations", destinations(id));
  }

  @DELETE
  @Path("association/del")
  @ApiService("incomingAssociationDel")
  public Map<String, Object> dissociate(@Context ContainerRequestContext ctx, @Context UriInfo uri,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, String body) {
    users.requireAdmin(Caller.of(ctx));
    V1Params p = V1Params.of(uri, type, body);
    users.revoke(p.required("id"), p.required("destination"));
    return Views.ok();
  }

  @GET
  @Path("association/list")
  @ApiService("incomingAssociationList")
  public Map<String, Object> associations(@Context ContainerRequestContext ctx, @Context UriInfo uri) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("destinations", destinations(V1Params.of(uri, null, null).required("id")));
  }

  private List<String> destinations(String user) {
    return users.permissions(user).stream().map(Permission::destination).sorted().toList();
  }
}
