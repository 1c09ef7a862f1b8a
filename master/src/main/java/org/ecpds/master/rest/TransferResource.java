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
import org.ecpds.master.domain.TransferAction;
import org.ecpds.master.scheduler.OperatorActions;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.TransferQueries;
import org.ecpds.master.service.UserService;

@Path("transfer")
@Produces(MediaType.APPLICATION_JSON)
public final class TransferResource {
  private final TransferQueries transfers;
  private final OperatorActions actions;
  private final DestinationService destinations;
  private final UserService users;

  public TransferResource(TransferQueries transfers, OperatorActions actions, DestinationService destinations,
      UserService users) {
    this.transfers = transfers;
    this.actions = actions;
    this.destinations = destinations;
    this.users = users;
  }

  @GET
  @ApiService("transferList")
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
  @ApiService("transferGet")
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @PathParam("id") long id) {
    users.requireAdmin(Caller.of(ctx));
    DataTransfer t = transfers.get(id);
    Map<String, Object> m = new LinkedHashMap<>(Views.transfer(t, destinations.get(t.destinationId()).name()));
    m.put("history", transfers.history(id).stream().map(Views::history).toList());
    return Views.ok("transfer", m);
  }

  /** Body of a priority change. */
  public record PriorityBody(Integer priority) {}

  /** Operator actions: requeue, stop, release (those the transfer's status allows). */
  @POST
  @Path("{id}/{action: requeue|stop|release}")
  @ApiService("transferAction")
  public Map<String, Object> action(@Context ContainerRequestContext ctx, @PathParam("id") long id,
      @PathParam("action") String action) {
    DataTransfer t = actions.transfer(Caller.of(ctx), id, TransferAction.parse(action), null);
    return Views.ok("transfer", Views.transfer(t, destinations.get(t.destinationId()).name()));
  }

  @POST
  @Path("{id}/priority")
  @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
  @ApiService("transferPriority")
  public Map<String, Object> priority(@Context ContainerRequestContext ctx, @PathParam("id") long id,
      PriorityBody body) {
    DataTransfer t = actions.transfer(Caller.of(ctx), id, TransferAction.PRIORITY, body == null ? null : body.priority());
    return Views.ok("transfer", Views.transfer(t, destinations.get(t.destinationId()).name()));
  }
}
