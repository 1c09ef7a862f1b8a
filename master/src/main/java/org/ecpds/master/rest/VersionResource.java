package org.ecpds.master.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

@Path("version")
@Produces(MediaType.APPLICATION_JSON)
public final class VersionResource {
  public static final String VERSION = "0.1.0";

  @GET
  public Map<String, Object> version() {
    return Views.ok("version", VERSION);
  }
}
