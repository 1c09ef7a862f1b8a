package org.ecpds.master.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.ecpds.master.domain.Host;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.SecretOptions;
import org.ecpds.master.service.UserService;

/** OpenECPDS's v1 host/option: sets one option of a host (a token rotation, for example). */
@Path("host")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public final class V1HostResource {
  private final HostService hosts;
  private final UserService users;

  public V1HostResource(HostService hosts, UserService users) {
    this.hosts = hosts;
    this.users = users;
  }

  /**
   * Parameters {@code hostid} (the host name), {@code name} (the option, such as FTP.passive: the
   * module prefix is matched in any case, ecpds writes it lower case) and {@code value} (usually a
   * form field, so that a secret does not sit in a URL); an empty value removes the option.
   */
  @POST
  @Path("option")
  @ApiService("updateHostOption")
  public Map<String, Object> option(@Context ContainerRequestContext ctx, @Context UriInfo uri,
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, String body) {
    users.requireAdmin(Caller.of(ctx));
    V1Params p = V1Params.of(uri, type, body);
    Host h = hosts.get(p.required("hostid"));
    String name = optionName(p.required("name"));
    String value = p.optional("value");
    Map<String, String> options = new TreeMap<>();
    // the others go back masked: HostService keeps their stored (encrypted) values
    h.options().forEach((k, v) -> options.put(k, SecretOptions.isSecret(k) && v != null && !v.isEmpty() ? SecretOptions.MASK : v));
    if (value == null) options.remove(name);
    else options.put(name, value);
    Host updated = hosts.update(h.name(), new HostService.Spec(null, null, null, null, null, null, null, options, null));
    return Views.ok("host", Views.host(updated));
  }

  private static String optionName(String given) {
    int dot = given.indexOf('.');
    if (dot <= 0 || dot == given.length() - 1) {
      throw new IllegalArgumentException("parameter 'name' must be module.option, such as ftp.passive, got '" + given + "'");
    }
    return given.substring(0, dot).toLowerCase(Locale.ROOT) + given.substring(dot);
  }
}
