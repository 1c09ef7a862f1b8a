package org.ecpds.master.rest;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.ecpds.common.config.Config;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.service.UserService.Principal;

/**
 * OpenECPDS's [API] section: a user given a service regex may call only the REST methods whose
 * {@link ApiService} name fully matches it (a method without a service name is refused to such a
 * user). Users without a regex keep their usual rights. This is the one place the rule is checked;
 * it runs after authentication and before the method's own permission checks.
 */
@Priority(Priorities.AUTHORIZATION)
public final class ApiServiceFilter implements ContainerRequestFilter {
  private final Map<String, Pattern> restricted;
  @Context private ResourceInfo resource;

  public ApiServiceFilter(Map<String, Pattern> restricted) {
    this.restricted = Map.copyOf(restricted);
  }

  /**
   * From {@code master.api.users} (comma-separated user names) and one
   * {@code master.api.services.<user>} regex per listed user; a listed user without a regex, or a
   * regex that does not compile, stops the master at start-up.
   */
  public static ApiServiceFilter from(Config config) {
    Map<String, Pattern> m = new java.util.TreeMap<>();
    for (String user : config.get("master.api.users", "").split(",")) {
      String u = user.strip();
      if (u.isEmpty()) continue;
      String key = "master.api.services." + u;
      String regex = config.get(key, null);
      if (regex == null) throw new IllegalArgumentException(key + " is required: master.api.users lists " + u);
      try {
        m.put(u, Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(key + ": invalid regex: " + e.getDescription());
      }
    }
    return new ApiServiceFilter(m);
  }

  @Override
  public void filter(ContainerRequestContext ctx) {
    if (!(ctx.getProperty(BasicAuthFilter.PRINCIPAL) instanceof Principal who)) return; // /version
    Pattern allowed = restricted.get(who.name());
    if (allowed == null) return;
    Method m = resource.getResourceMethod();
    ApiService service = m == null ? null : m.getAnnotation(ApiService.class);
    if (service != null && service.value().equals(ApiService.AUTH_ONLY)) return;
    if (service == null || !allowed.matcher(service.value()).matches()) {
      throw new ForbiddenException("user " + who.name() + " may not call "
          + (service == null ? "this path" : "service " + service.value()) + " (master.api.services." + who.name() + ")");
    }
  }
}
