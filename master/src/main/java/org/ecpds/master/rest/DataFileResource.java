package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.scheduler.OperatorActions;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.GroupWaits;
import org.ecpds.common.config.Durations;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import org.ecpds.master.service.RetrievalService;
import org.ecpds.master.service.TransferQueries;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.UserService.Principal;

/** Registration of a pushed file (the CLI's first step) and lookup of data files. */
@Path("datafile")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class DataFileResource {
  private final DataFileService dataFiles;
  private final DestinationService destinations;
  private final TransferQueries transfers;
  private final UserService users;

  private final OperatorActions actions;
  private final Runnable purgeNow;
  private final RetrievalService retrievals;
  private final GroupWaits groupWaits;

  public DataFileResource(DataFileService dataFiles, DestinationService destinations, TransferQueries transfers,
      UserService users, OperatorActions actions, Runnable purgeNow, RetrievalService retrievals, GroupWaits groupWaits) {
    this.retrievals = retrievals;
    this.groupWaits = groupWaits;
    this.actions = actions;
    this.purgeNow = purgeNow;
    this.dataFiles = dataFiles;
    this.destinations = destinations;
    this.transfers = transfers;
    this.users = users;
  }

  public record Body(String destination, String source, String target, Integer priority, String lifetime,
      Map<String, String> metadata, Long size, Boolean standby, Boolean asap, String delay, Long at, Boolean event) {}

  @POST
  @ApiService("datafilePush")
  public Map<String, Object> register(@Context ContainerRequestContext ctx, Body b) {
    if (b == null) throw new IllegalArgumentException("a JSON body is required");
    DataFileService.Allocation a = dataFiles.register(Caller.of(ctx), new DataFileService.Registration(b.destination(),
        b.source(), b.target(), b.priority(), b.lifetime(), b.metadata(), b.size(), b.standby(), b.asap(), b.delay(), b.at(), b.event()));
    Map<String, Object> m = Views.ok();
    m.put("dataFileId", a.dataFileId());
    m.put("mover", a.moverName());
    m.put("uploadUrl", a.uploadUrl());
    m.put("uploadToken", a.token());
    m.put("uploadCertificate", a.uploadCertPem());
    m.put("expires", a.expiresMs());
    return m;
  }

  /** OpenECPDS's datafile/put: a file registered by its source location, fetched later by a mover. */
  public record PutBody(String destination, String source, String target, Map<String, String> metadata,
      Integer priority, String lifetime, Long at, String delay, Boolean standby, Boolean asap, Boolean force,
      String groupby, Boolean noretrieval, Boolean remove, Long size, Boolean event) {
    RetrievalService.PresetRequest request() {
      return new RetrievalService.PresetRequest(destination, source, target, metadata, priority, lifetime, at, delay,
          standby, asap, force, groupby, noretrieval, remove, size, event);
    }
  }

  @POST
  @Path("put")
  @ApiService("datafilePut")
  public Map<String, Object> put(@Context ContainerRequestContext ctx, PutBody b) {
    if (b == null) throw new IllegalArgumentException("a JSON body is required");
    RetrievalService.Registered r = retrievals.register(Caller.of(ctx), b.request());
    Map<String, Object> m = Views.ok();
    m.put("dataFileId", r.dataFileId());
    m.put("duplicate", r.duplicate());
    return m;
  }

  /** Several datafile/put bodies in one call and one transaction (ecpds's own; the CLI's -index uses it). */
  public record PutBatchBody(List<PutBody> files) {}

  @POST
  @Path("put/batch")
  @ApiService("datafilePut")
  public Map<String, Object> putBatch(@Context ContainerRequestContext ctx, PutBatchBody b) {
    if (b == null || b.files() == null) throw new IllegalArgumentException("a JSON body with a files array is required");
    List<RetrievalService.PresetRequest> requests = new ArrayList<>(b.files().size());
    for (int i = 0; i < b.files().size(); i++) {
      if (b.files().get(i) == null) throw new IllegalArgumentException("files[" + i + "]: an object is required");
      requests.add(b.files().get(i).request());
    }
    List<Map<String, Object>> files = new ArrayList<>();
    for (RetrievalService.Registered r : retrievals.registerAll(Caller.of(ctx), requests)) {
      files.add(Map.of("dataFileId", r.dataFileId(), "duplicate", r.duplicate()));
    }
    Map<String, Object> m = Views.ok();
    m.put("files", files);
    return m;
  }

  /**
   * A group's progress (ecpds -waitfor): data files per fetch state, transfers per status, complete or
   * not. With {@code wait} (a duration up to 60s) the answer comes once the group has settled (complete
   * or failed) or when the wait is over, whichever is first, without holding a request thread.
   */
  @GET
  @Path("group/{name}")
  @ApiService("datafileGroup")
  public void group(@Context ContainerRequestContext ctx, @PathParam("name") String name,
      @QueryParam("wait") String wait, @Suspended AsyncResponse response) {
    java.time.Duration w = wait == null || wait.isBlank() ? java.time.Duration.ZERO : Durations.parse(wait);
    GroupWaits.Wait waiting = groupWaits.await(Caller.of(ctx), name, w);
    response.register((jakarta.ws.rs.container.CompletionCallback) failure -> waiting.sent().run());
    waiting.answer().whenComplete((g, e) -> {
      if (e != null) response.resume(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e);
      else response.resume(groupView(g));
    });
  }

  private static Map<String, Object> groupView(RetrievalService.GroupStatus g) {
    Map<String, Object> m = Views.ok();
    m.put("group", g.group());
    m.put("files", g.files());
    m.put("fetch", g.fetch());
    m.put("transfers", g.transfers());
    m.put("complete", g.complete());
    m.put("failed", g.failed());
    return m;
  }

  /**
   * Data files of a destination, newest first; metadata=key=value keeps those whose metadata has
   * that exact value.
   */
  @GET
  @ApiService("datafileList")
  public Map<String, Object> search(@Context ContainerRequestContext ctx, @QueryParam("destination") String destination,
      @QueryParam("metadata") String metadata, @QueryParam("limit") @DefaultValue("1000") int limit) {
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException("query parameter 'destination' is required");
    }
    users.requireGet(Caller.of(ctx), destination);
    return Views.ok("datafiles", dataFiles.search(destination, metadata, limit).stream()
        .map(f -> Views.dataFile(f, destination)).toList());
  }

  /** Manual purge: open transfers stopped, content and rows removed by the purge. */
  @DELETE
  @Path("{id}")
  @ApiService("datafileDel")
  public Map<String, Object> purge(@Context ContainerRequestContext ctx, @PathParam("id") long id) {
    actions.purge(Caller.of(ctx), id, purgeNow);
    return Views.ok("purged", id);
  }

  /**
   * A pushing client that lost the mover's answer stops waiting: the registration is removed
   * unless the content arrived meanwhile ({@code arrived} says which), so it can no longer arrive.
   */
  @POST
  @Path("{id}/withdraw")
  @ApiService("datafilePush")
  public Map<String, Object> withdraw(@Context ContainerRequestContext ctx, @PathParam("id") long id) {
    Map<String, Object> m = Views.ok("dataFileId", id);
    m.put("arrived", dataFiles.withdraw(Caller.of(ctx), id));
    return m;
  }

  @GET
  @Path("{id}")
  @ApiService("datafileGet")
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @PathParam("id") long id) {
    Principal who = Caller.of(ctx);
    DataFile f = dataFiles.get(id);
    String destination = destinations.get(f.destinationId()).name();
    users.requireGet(who, destination);
    Map<String, Object> m = new LinkedHashMap<>(Views.dataFile(f, destination));
    m.put("transfers", transfers.ofDataFile(id).stream()
        .map(t -> Views.transfer(t, destinations.get(t.destinationId()).name())).toList());
    return Views.ok("datafile", m);
  }
}
