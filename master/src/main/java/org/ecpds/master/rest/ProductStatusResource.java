package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.master.service.ProductStatusService;
import org.ecpds.master.service.ProductStatusService.Product;

/** Product status (ecpds -expected/-started/-completed/-reset): a thin adapter over {@link ProductStatusService}. */
@Path("product/status")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ProductStatusResource {
  private final ProductStatusService products;

  public ProductStatusResource(ProductStatusService products) {
    this.products = products;
  }

  /** status: expected, started, completed, or reset (forget it); at: the scheduled time, epoch ms. */
  public record Body(String stream, String time, String type, Long step, String status, Long at) {
    Product product() {
      if (step == null) throw new IllegalArgumentException("step is required");
      return new Product(stream, time, type, step);
    }
  }

  @POST
  @ApiService("productStatusUpdate")
  public Map<String, Object> record(@Context ContainerRequestContext ctx, Body b) {
    if (b == null) throw new IllegalArgumentException("a JSON body is required");
    Product p = b.product();
    if ("reset".equalsIgnoreCase(b.status() == null ? "" : b.status().trim())) {
      return Views.ok("reset", products.reset(Caller.of(ctx), p));
    }
    ProductStatusService.Status status = ProductStatusService.Status.parse(b.status());
    return Views.ok("product", view(products.record(Caller.of(ctx), p, status, b.at())));
  }

  @GET
  @ApiService("productStatusGet")
  public Map<String, Object> get(@Context ContainerRequestContext ctx, @QueryParam("stream") String stream,
      @QueryParam("time") String time, @QueryParam("type") String type, @QueryParam("step") Long step) {
    return Views.ok("product", view(products.get(Caller.of(ctx), new Body(stream, time, type, step, null, null).product())));
  }

  private static Map<String, Object> view(ProductStatusService.State s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("stream", s.product().stream());
    m.put("time", s.product().time());
    m.put("type", s.product().type());
    m.put("step", s.product().step());
    m.put("status", s.statusCode());
    m.put("scheduleTime", s.scheduleMs());
    m.put("lastUpdate", s.updatedMs());
    m.put("updatedBy", s.updatedBy());
    return m;
  }
}
