package org.ecpds.master.rest;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.scheduler.TransferScheduler;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.TransferQueries;
import org.ecpds.master.service.UserService;

@Path("transfer")
@Produces(MediaType.APPLICATION_JSON)
public final class TransferResource {
  private final TransferQueries transfers;
  private final TransferScheduler scheduler;
  private final DestinationService destinations;
  private final UserService users;

  public TransferResource(TransferQueries transfers, TransferScheduler scheduler, DestinationService destinations,
      UserService users) {
    this.transfers = transfers;
    this.scheduler = scheduler;
    this.destinations = destinations;
    this.users = users;
  }

  @GET
  public Map<String, Object> list(@Context ContainerRequestContext ctx, @QueryParam("destination") String destination,
      @QueryParam("status") String status, @QueryParam("limit") @DefaultValue("1000") int limit) {
    users.requireAdmin(Caller.of(ctx));
    if (destination == null || destination.isBlank()) {
      throw new IllegalArgumentException("query parameter 'destination' is required");
    }
    return Views.ok("transfers", transfers.list(destination, status, limit).stream()
        .map(t -> Views.transfer(t, destination)).toList());
  }

  @GET
  @Path("{id}")
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @PathParam("id") long id) {
    users.requireAdmin(Caller.of(ctx));
    DataTransfer t = transfers.get(id);
    Map<String, Object> m = new LinkedHashMap<>(Views.transfer(t, destinations.get(t.destinationId()).name()));
    m.put("history", transfers.history(id).stream().map(Views::history).toList());
    return Views.ok("transfer", m);
  }

  @POST
  @Path("{id}/requeue")
  public Map<String, Object> requeue(@Context ContainerRequestContext ctx, @PathParam("id") long id) {
    var who = Caller.of(ctx);
    users.requireAdmin(who);
    DataTransfer t = scheduler.requeue(id, who.name());
    return Views.ok("transfer", Views.transfer(t, destinations.get(t.destinationId()).name()));
  }

  @POST
  @Path("{id}/stop")
  public Map<String, Object> stop(@Context ContainerRequestContext ctx, @PathParam("id") long id) {
    var who = Caller.of(ctx);
    users.requireAdmin(who);
    DataTransfer t = scheduler.stop(id, who.name());
    return Views.ok("transfer", Views.transfer(t, destinations.get(t.destinationId()).name()));
  }
}
