package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.ecpds.master.acquisition.AcquisitionScheduler;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.scheduler.AcquisitionRunner;
import org.ecpds.master.acquisition.RemoteFile;
import org.ecpds.master.service.AcquisitionService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.UserService;

@Path("host")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class HostResource {
  private final HostService hosts;
  private final UserService users;
  private final AcquisitionService acquisition;
  private final Predicate<AcquisitionScheduler.Target> runNow;
  private final AcquisitionRunner runner;

  public HostResource(HostService hosts, UserService users, AcquisitionService acquisition,
      Predicate<AcquisitionScheduler.Target> runNow, AcquisitionRunner runner) {
    this.hosts = hosts;
    this.users = users;
    this.acquisition = acquisition;
    this.runNow = runNow;
    this.runner = runner;
  }

  /** One listed entry; {@code modified} is epoch milliseconds. */
  public record Entry(String name, Long size, Long modified, Boolean directory, Boolean symlink) {
    RemoteFile file() {
      if (name == null || name.isEmpty()) throw new IllegalArgumentException("field 'entries.name' is required");
      if (size != null && size < 0) throw new IllegalArgumentException("field 'entries.size' must not be negative");
      return new RemoteFile(name, size == null ? 0 : size, modified == null ? 0 : modified,
          Boolean.TRUE.equals(directory), Boolean.TRUE.equals(symlink));
    }
  }

  public record DryRunBody(String destination, List<Entry> entries) {}

  public record Body(String name, String type, String transferMethod, String address, Integer port, String login,
      String password, String directory, Map<String, String> options, Boolean enabled, Integer maxConnections,
      String acquisitionFrequency) {
    HostService.Spec spec() {
      return new HostService.Spec(type, transferMethod, address, port, login, password, directory, options, enabled,
          maxConnections, acquisitionFrequency);
    }
  }

  @GET
  @ApiService("hostList")
  public Map<String, Object> list(@Context ContainerRequestContext ctx) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("hosts", hosts.list().stream().map(Views::host).toList());
  }

  @POST
  @ApiService("hostAdd")
  public Map<String, Object> create(@Context ContainerRequestContext ctx, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    return Views.ok("host", Views.host(hosts.create(body.name(), body.spec())));
  }

  @GET
  @Path("{name}")
  @ApiService("hostGet")
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @PathParam("name") String name) {
    users.requireAdmin(Caller.of(ctx));
    return Views.ok("host", Views.host(hosts.get(name)));
  }

  @PUT
  @Path("{name}")
  @ApiService("hostUpdate")
  public Map<String, Object> update(@Context ContainerRequestContext ctx, @PathParam("name") String name, Body body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    if (body.name() != null && !body.name().equals(name)) {
      throw new IllegalArgumentException("a host cannot be renamed (body name '" + body.name() + "' differs from '" + name + "')");
    }
    return Views.ok("host", Views.host(hosts.update(name, body.spec())));
  }

  /** What the host's acquisition rules would register from the given listing; registers nothing. */
  @POST
  @Path("{name}/acquisition/dry-run")
  @ApiService("hostAcquisitionDryRun")
  public Map<String, Object> dryRun(@Context ContainerRequestContext ctx, @PathParam("name") String name, DryRunBody body) {
    users.requireAdmin(Caller.of(ctx));
    if (body == null) throw new IllegalArgumentException("a JSON body is required");
    List<RemoteFile> entries = body.entries() == null ? List.of() : body.entries().stream().map(Entry::file).toList();
    return Views.ok("rules", acquisition.dryRun(name, body.destination(), entries).stream().map(Views::dryRun).toList());
  }

  /**
   * OpenECPDS's "Test on Server": every rule's directory listed by a mover now, and what a run would
   * decide for its first {@code max} entries; registers nothing.
   */
  @POST
  @Path("{name}/acquisition/test")
  @ApiService("hostAcquisitionTest")
  public Map<String, Object> testOnServer(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @QueryParam("destination") String destination, @QueryParam("max") Integer max) throws Exception {
    users.requireAdmin(Caller.of(ctx));
    List<Map<String, Object>> rules = new java.util.ArrayList<>();
    for (AcquisitionRunner.ServerTest t : runner.testOnServer(name, destination, max == null ? 100 : max)) {
      Map<String, Object> m = Views.dryRun(t.result());
      m.put("listed", t.listed());
      m.put("truncated", t.truncated());
      if (t.error() != null) m.put("error", t.error());
      rules.add(m);
    }
    return Views.ok("rules", rules);
  }

  /** Starts an acquisition run of the host for the destination now (OpenECPDS's "run now"); 409 while one runs. */
  @POST
  @Path("{name}/acquisition/run")
  @ApiService("hostAcquisitionRun")
  public Map<String, Object> run(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @QueryParam("destination") String destination) {
    users.requireAdmin(Caller.of(ctx));
    AcquisitionScheduler.Target t = acquisition.target(name, destination);
    if (!runNow.test(t)) {
      throw new ConflictException("an acquisition run of host " + t.host() + " for destination " + t.destination()
          + " is already in progress");
    }
    Map<String, Object> m = Views.ok();
    m.put("host", t.host());
    m.put("destination", t.destination());
    m.put("started", true);
    return m;
  }

  @DELETE
  @Path("{name}")
  @ApiService("hostDel")
  public Map<String, Object> delete(@Context ContainerRequestContext ctx, @PathParam("name") String name) {
    users.requireAdmin(Caller.of(ctx));
    hosts.delete(name);
    return Views.ok();
  }
}
