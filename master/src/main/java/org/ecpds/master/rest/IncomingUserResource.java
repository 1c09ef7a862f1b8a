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
import java.util.List;
import java.util.Map;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.Permission;
import org.ecpds.master.domain.PortalLimits;
import org.ecpds.master.service.PortalQuotas;
import org.ecpds.master.service.S3KeyService;
import org.ecpds.master.service.UserService;

@Path("incoming/user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class IncomingUserResource {
  private final UserService users;

  private final S3KeyService s3Keys;
  private final PortalQuotas quotas;

  public IncomingUserResource(UserService users, S3KeyService s3Keys, PortalQuotas quotas) {
    this.users = users;
    this.s3Keys = s3Keys;
    this.quotas = quotas;
  }

  /** Portal limits: maxConnections, maxUploadBytes per uploadPeriod, maxDownloadBytes per downloadPeriod. */
  public record Body(String id, String password, String email, Boolean enabled, Integer maxConnections,
      Long maxUploadBytes, String uploadPeriod, Long maxDownloadBytes, String downloadPeriod) {
    PortalQuotas.Patch limits() {
      return new PortalQuotas.Patch(maxConnections, maxUploadBytes, uploadPeriod, maxDownloadBytes, downloadPeriod);
    }
  }

  private Map<String, Object> view(IncomingUser u) {
    return Views.user(u, users.permissions(u.id()), quotas.limits(u.id()), quotas.usage(u.id()));
  }

  /** Unset flags take OpenECPDS's defaults: get, dir, size and mtime on; put, delete, mkdir, rmdir, rename off. */
  public record Grant(Boolean get, Boolean put, Boolean delete, Boolean dir, Boolean mkdir, Boolean rmdir,
      Boolean rename, Boolean size, Boolean mtime, List<Rule> rules) {
    Permission.Rights rights() {
      Permission.Rights d = Permission.Rights.defaults();
      return new Permission.Rights(or(get, d.get()), or(put, d.put()), or(delete, d.delete()), or(dir, d.dir()),
          or(mkdir, d.mkdir()), or(rmdir, d.rmdir()), or(rename, d.rename()), or(size, d.size()), or(mtime, d.mtime()),
          rules == null ? List.of() : rules.stream().map(r -> {
            if (r == null) throw new IllegalArgumentException("a path rule must be an object {permission, regex}");
            return new Permission.Rule(r.permission(), r.regex());
          }).toList());
    }

    private static boolean or(Boolean v, boolean def) {
      return v == null ? def : v;
    }
  }

  public record Rule(String permission, String regex) {}

  public record Key(String key) {}

  @GET
  @ApiService("incomingUserList")
  public Map<String, Object> list(@Context ContainerRequestContext ctx) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("users", users.listIncoming().stream().map(this::view).toList());
  }

  @POST
  @ApiService("incomingUserAdd")
  public Map<String, Object> create(@Context ContainerRequestContext ctx, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    PortalLimits limits = PortalQuotas.apply(PortalLimits.NONE, body.limits()); // refused before the user exists
    IncomingUser u = users.createIncoming(body.id(), body.password(), body.email(),
        body.enabled() == null || body.enabled());
    quotas.save(u.id(), limits);
    return Views.ok("user", view(u));
  }

  @GET
  @Path("{id}")
  @ApiService("incomingUserGet")
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @PathParam("id") String id) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("user", view(users.incoming(id)));
  }

  @PUT
  @Path("{id}")
  @ApiService("incomingUserUpdate")
  public Map<String, Object> update(@Context ContainerRequestContext ctx, @PathParam("id") String id, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    IncomingUser before = users.incoming(id);
    PortalLimits limits = PortalQuotas.apply(quotas.limits(before.id()), body.limits());
    IncomingUser u = users.updateIncoming(id, body.password(), body.email(), body.enabled());
    quotas.save(u.id(), limits);
    return Views.ok("user", view(u));
  }

  @DELETE
  @Path("{id}")
  @ApiService("incomingUserDel")
  public Map<String, Object> delete(@Context ContainerRequestContext ctx, @PathParam("id") String id) {
    users.requireAdmin(Caller.of(ctx));
    users.deleteIncoming(id);
    return Views.ok();
  }

  @GET
  @Path("{id}/destination")
  @ApiService("incomingAssociationList")
  public Map<String, Object> permissions(@Context ContainerRequestContext ctx, @PathParam("id") String id) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("destinations", users.permissions(id).stream().map(Views::permission).toList());
  }

  @PUT
  @Path("{id}/destination/{destination}")
  @ApiService("incomingAssociationAdd")
  public Map<String, Object> grant(@Context ContainerRequestContext ctx, @PathParam("id") String id,
      @PathParam("destination") String destination, Grant g) {
    users.requireAdmin(Caller.of(ctx));
    Grant p = g == null ? new Grant(null, null, null, null, null, null, null, null, null, null) : g;
    users.grant(id, destination, p.rights());
    return Views.ok("permission", users.permissions(id).stream().filter(x -> x.destination().equals(destination))
        .findFirst().map(Views::permission).orElseThrow());
  }

  @DELETE
  @Path("{id}/destination/{destination}")
  @ApiService("incomingAssociationDel")
  public Map<String, Object> revoke(@Context ContainerRequestContext ctx, @PathParam("id") String id,
      @PathParam("destination") String destination) {
    users.requireAdmin(Caller.of(ctx));
    users.revoke(id, destination);
    return Views.ok();
  }

  @GET
  @Path("{id}/key")
  @ApiService("incomingKeyList")
  public Map<String, Object> keys(@Context ContainerRequestContext ctx, @PathParam("id") String id) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("keys", users.keys(id).stream().map(Views::key).toList());
  }

  @POST
  @Path("{id}/key")
  @ApiService("incomingKeyAdd")
  public Map<String, Object> addKey(@Context ContainerRequestContext ctx, @PathParam("id") String id, Key body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body {\"key\": \"ssh-ed25519 AAAA...\"} is required");
    return Views.ok("key", Views.key(users.addKey(id, body.key())));
  }

  @DELETE
  @Path("{id}/key/{keyId}")
  @ApiService("incomingKeyDel")
  public Map<String, Object> deleteKey(@Context ContainerRequestContext ctx, @PathParam("id") String id,
      @PathParam("keyId") String keyId) {
    users.requireAdmin(Caller.of(ctx));
    users.deleteKey(id, keyId(keyId));
    return Views.ok();
  }

  // ---------------------------------------------------------------- S3 access keys (portal S3 API)

  @GET
  @Path("{id}/s3key")
  @ApiService("incomingS3KeyList")
  public Map<String, Object> s3Keys(@Context ContainerRequestContext ctx, @PathParam("id") String id) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("keys", s3Keys.list(id).stream().map(Views::s3Key).toList());
  }

  /** Makes a key pair; the secret is in this answer only. */
  @POST
  @Path("{id}/s3key")
  @ApiService("incomingS3KeyAdd")
  public Map<String, Object> addS3Key(@Context ContainerRequestContext ctx, @PathParam("id") String id) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("key", Views.s3Key(s3Keys.create(id)));
  }

  @DELETE
  @Path("{id}/s3key/{keyId}")
  @ApiService("incomingS3KeyDel")
  public Map<String, Object> deleteS3Key(@Context ContainerRequestContext ctx, @PathParam("id") String id,
      @PathParam("keyId") String keyId) {
    users.requireAdmin(Caller.of(ctx));
    s3Keys.delete(id, keyId(keyId));
    return Views.ok();
  }

  private static long keyId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("key id must be a number, got '" + text + "'");
    }
  }
}
