package org.ecpds.master.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every JAX-RS resource method of the master (method and path) is described in docs/openapi.yaml,
 * and the file describes nothing that does not exist. Path parameter names may differ ({name} vs
 * {host}); a template's regex ({action: hold|...}) is left out of the comparison.
 */
class OpenApiCoverageTest {
  private static final List<Class<?>> RESOURCES = List.of(VersionResource.class, DestinationResource.class,
      HostResource.class, IncomingUserResource.class, DataFileResource.class, TransferResource.class,
      MoverResource.class, ConfigResource.class, V1DestinationResource.class, V1HostResource.class,
      V1IncomingUserResource.class, V1IncomingResource.class, V1DataFileResource.class, WebUserResource.class,
      ProductStatusResource.class);

  @Test
  void everyResourceMethodIsInOpenApiAndNothingElse() throws Exception {
    Set<String> code = new TreeSet<>();
    Set<String> expanded = new TreeSet<>(); // {action: hold|stop} may be documented as one template or per action
    for (Class<?> c : RESOURCES) {
      String root = c.getAnnotation(Path.class).value();
      for (Method m : c.getMethods()) {
        String verb = m.isAnnotationPresent(GET.class) ? "get" : m.isAnnotationPresent(POST.class) ? "post"
            : m.isAnnotationPresent(PUT.class) ? "put" : m.isAnnotationPresent(DELETE.class) ? "delete" : null;
        if (verb == null) continue;
        Path sub = m.getAnnotation(Path.class);
        String raw = "/" + root + (sub == null ? "" : "/" + sub.value());
        code.add(verb + " " + normalise(raw));
        Matcher alt = Pattern.compile("\\{\\w+:\\s*([a-z-]+(\\|[a-z-]+)+)}").matcher(raw);
        if (alt.find()) {
          for (String a : alt.group(1).split("\\|")) {
            expanded.add(verb + " " + normalise(raw.substring(0, alt.start()) + a + raw.substring(alt.end())));
          }
        }
      }
    }
    Set<String> documented = new TreeSet<>();
    String path = null;
    java.nio.file.Path yaml = java.nio.file.Path.of("..", "docs", "openapi.yaml");
    for (String line : Files.readAllLines(yaml)) {
      Matcher p = Pattern.compile("^  (/\\S*):\\s*$").matcher(line);
      if (p.matches()) {
        path = normalise(p.group(1));
        continue;
      }
      if (line.matches("^\\S.*")) path = null; // a new top-level section (components, ...)
      Matcher v = Pattern.compile("^    (get|post|put|delete|patch):\\s*$").matcher(line);
      if (path != null && v.matches()) documented.add(v.group(1) + " " + path);
    }
    List<String> undocumented = new ArrayList<>(code);
    undocumented.removeAll(documented);
    // a template with literal alternatives is documented when every alternative is
    undocumented.removeIf(op -> op.contains("{}") && expanded.stream().anyMatch(e -> matches(op, e))
        && expanded.stream().filter(e -> matches(op, e)).allMatch(documented::contains));
    List<String> stale = new ArrayList<>(documented);
    stale.removeAll(code);
    stale.removeAll(expanded);
    assertThat(undocumented).as("resource methods missing from docs/openapi.yaml").isEmpty();
    assertThat(stale).as("docs/openapi.yaml operations with no resource method").isEmpty();
    assertThat(code).contains("get /config", "get /destination/backup/{}");
  }

  /** master.api.services limits users by service name: every method but /version has one. */
  @Test
  void everyResourceMethodHasAServiceName() {
    List<String> unnamed = new ArrayList<>();
    for (Class<?> c : RESOURCES) {
      if (c == VersionResource.class) continue;
      for (Method m : c.getMethods()) {
        boolean rest = m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(POST.class)
            || m.isAnnotationPresent(PUT.class) || m.isAnnotationPresent(DELETE.class);
        if (rest && !m.isAnnotationPresent(ApiService.class)) unnamed.add(c.getSimpleName() + "." + m.getName());
      }
    }
    assertThat(unnamed).as("REST methods without @ApiService").isEmpty();
  }

  /** Whether a concrete operation is an instance of a template one ("post /t/{}/{}" and "post /t/{}/stop"). */
  private static boolean matches(String template, String op) {
    String[] a = template.split("/");
    String[] b = op.split("/");
    if (a.length != b.length) return false;
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i]) && !a[i].equals("{}")) return false;
    }
    return true;
  }

  /** "/a//b/{name: x|y}" -> "/a/b/{}". */
  private static String normalise(String p) {
    return p.replaceAll("\\{[^}]*}", "{}").replaceAll("/+", "/").replaceAll("(.)/$", "$1");
  }
}
