package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.master.domain.DataFile;
import org.ecpds.master.scheduler.OperatorActions;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.RetrievalService;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.UserService.Principal;

/** OpenECPDS's v1 datafile/put (GET with query parameters), datafile/size and datafile/del. */
@Path("datafile")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class V1DataFileResource {
  private final RetrievalService retrievals;
  private final DataFileService dataFiles;
  private final DestinationService destinations;
  private final UserService users;
  private final OperatorActions actions;
  private final Runnable purgeNow;

  public V1DataFileResource(RetrievalService retrievals, DataFileService dataFiles, DestinationService destinations,
      UserService users, OperatorActions actions, Runnable purgeNow) {
    this.retrievals = retrievals;
    this.dataFiles = dataFiles;
    this.destinations = destinations;
    this.users = users;
    this.actions = actions;
    this.purgeNow = purgeNow;
  }

  /**
   * Registers a file by its source for the retrieval scheduler, as POST /datafile/put does.
   * {@code metadata} is {@code key=value} pairs separated by commas; {@code at} is epoch
   * milliseconds. {@code uniquename} is refused (400): ecpds de-duplicates by destination, target
   * and source, and {@code force} registers again.
   */
  @GET
  @Path("put")
  @ApiService("datafilePut")
  public Map<String, Object> put(@Context ContainerRequestContext ctx, @Context UriInfo uri) {
    V1Params p = V1Params.of(uri, null, null);
    if (p.optional("uniquename") != null) {
      throw new IllegalArgumentException("parameter 'uniquename' is not supported: use target, and force to register again");
    }
    RetrievalService.Registered r = retrievals.register(Caller.of(ctx), new RetrievalService.PresetRequest(
        p.required("destination"), p.required("source"), p.optional("target"), metadata(p.optional("metadata")),
        p.integer("priority"), p.optional("lifetime"), p.number("at"), null, p.bool("standby"), null, p.bool("force"),
        null, null, null, null));
    Map<String, Object> m = Views.ok("dataFileId", r.dataFileId());
    m.put("duplicate", r.duplicate());
    return m;
  }

  static Map<String, String> metadata(String text) {
    if (text == null) return null;
    Map<String, String> m = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) throw new IllegalArgumentException("parameter 'metadata' must be key=value[,key=value...], got '" + pair + "'");
      m.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return m;
  }

  /** The size in bytes, -1 until the content has arrived (get or put on its destination). */
  @GET
  @Path("size")
  @ApiService("datafileSize")
  public Map<String, Object> size(@Context ContainerRequestContext ctx, @Context UriInfo uri) {
    Principal who = Caller.of(ctx);
    long id = V1Params.of(uri, null, null).requiredNumber("id");
    DataFile f = dataFiles.get(id);
    users.requireGet(who, destinations.get(f.destinationId()).name());
    Map<String, Object> m = Views.ok("dataFileId", id);
    m.put("size", Views.dataFile(f, "").get("size"));
    return m;
  }

  /** The manual purge of DELETE /datafile/{id}. */
  @DELETE
  @Path("del")
  @ApiService("datafileDel")
  public Map<String, Object> delete(@Context ContainerRequestContext ctx, @Context UriInfo uri) {
    long id = V1Params.of(uri, null, null).requiredNumber("id");
    actions.purge(Caller.of(ctx), id, purgeNow);
    return Views.ok("purged", id);
  }
}
