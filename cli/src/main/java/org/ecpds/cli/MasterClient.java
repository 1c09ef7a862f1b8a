package org.ecpds.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** The master's REST API (/ecpds/v1) as the CLI uses it: /version and POST /datafile. */
final class MasterClient {
  static final String BASE = "/ecpds/v1/";
  private static final String UNTRUSTED_HINT =
      "pass the master's certificate with -cacert FILE (or ECPDS_CACERT) if it is self-signed";
  // registration is quick; this only bounds a master that accepted the connection but hangs
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
  // one question of a loop that has its own deadline
  private static final Duration ARRIVAL_QUESTION_TIMEOUT = Duration.ofSeconds(20);

  private final Endpoint endpoint;
  private final Transport transport;

  MasterClient(Endpoint endpoint, SSLContext trust, Duration connectTimeout) {
    this.endpoint = endpoint;
    this.transport = new Transport("master at " + endpoint, UNTRUSTED_HINT, trust, connectTimeout);
  }

  /** The master's version; needs no authentication. */
  String version() throws CliException {
    Reply r = transport.send("GET", endpoint.uri(BASE + "version"), Map.of("Accept", "application/json"), null,
        REQUEST_TIMEOUT);
    return JsonReply.text(JsonReply.ok(r, transport.peer()), "version", transport.peer());
  }

  /** Registers the file; the master checks the destination, the permission and picks a mover. */
  Allocation register(Credentials who, Registration registration) throws CliException {
    String json;
    try {
      json = JsonReply.JSON.writeValueAsString(registration);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the registration", e);
    }
    Reply r = transport.send("POST", endpoint.uri(BASE + "datafile"), Map.of("Accept", "application/json",
        "Authorization", who.basicHeader(), "Content-Type", "application/json"), Transport.Body.of(json), REQUEST_TIMEOUT);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    JsonNode body = JsonReply.ok(r, transport.peer());
    String peer = transport.peer();
    URI upload = uploadUrl(JsonReply.text(body, "uploadUrl", peer));
    return new Allocation(JsonReply.number(body, "dataFileId", peer), body.path("mover").asText("?"), upload,
        JsonReply.text(body, "uploadToken", peer), JsonReply.text(body, "uploadCertificate", peer));
  }

  /** Registers a file by its source location (datafile/put); returns its DataFile id. */
  long put(Credentials who, PresetRegistration registration) throws CliException {
    String json;
    try {
      json = JsonReply.JSON.writeValueAsString(registration);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the registration", e);
    }
    Reply r = transport.send("POST", endpoint.uri(BASE + "datafile/put"), Map.of("Accept", "application/json",
        "Authorization", who.basicHeader(), "Content-Type", "application/json"), Transport.Body.of(json), REQUEST_TIMEOUT);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    return JsonReply.number(JsonReply.ok(r, transport.peer()), "dataFileId", transport.peer());
  }

  /** Most files per datafile/put/batch call (the master's limit). */
  static final int MAX_BATCH = 1_000;

  /** Registers up to {@link #MAX_BATCH} files in one call and one transaction; their ids in order. */
  List<Long> putAll(Credentials who, List<PresetRegistration> registrations) throws CliException {
    String json;
    try {
      json = JsonReply.JSON.writeValueAsString(Map.of("files", registrations));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the registrations", e);
    }
    Reply r = transport.send("POST", endpoint.uri(BASE + "datafile/put/batch"), Map.of("Accept", "application/json",
        "Authorization", who.basicHeader(), "Content-Type", "application/json"), Transport.Body.of(json), REQUEST_TIMEOUT);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    JsonNode files = JsonReply.ok(r, transport.peer()).path("files");
    if (files.size() != registrations.size()) {
      throw CliException.refused(transport.peer() + " answered " + files.size() + " ids for " + registrations.size() + " files");
    }
    List<Long> ids = new java.util.ArrayList<>(files.size());
    for (JsonNode f : files) ids.add(JsonReply.number(f, "dataFileId", transport.peer()));
    return ids;
  }

  /** A group's progress (datafile/group/{name}); with a wait, once the group has settled or after it. */
  GroupState group(Credentials who, String name, Duration wait) throws CliException {
    String query = wait.isZero() ? "" : "?wait=" + wait.toMillis() + "ms";
    Reply r = transport.send("GET", endpoint.uri(BASE + "datafile/group/"
        + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + query),
        Map.of("Accept", "application/json", "Authorization", who.basicHeader()), null, REQUEST_TIMEOUT.plus(wait));
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    JsonNode b = JsonReply.ok(r, transport.peer());
    return new GroupState(b.path("files").asLong(), b.path("fetch").path("DONE").asLong(),
        b.path("complete").asBoolean(), b.path("failed").asBoolean());
  }

  /** Purges a data file (its transfers are stopped and its content removed). */
  void purge(Credentials who, long dataFileId) throws CliException {
    Reply r = transport.send("DELETE", endpoint.uri(BASE + "datafile/" + dataFileId), Map.of("Accept",
        "application/json", "Authorization", who.basicHeader()), null, REQUEST_TIMEOUT);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    JsonReply.ok(r, transport.peer());
  }

  /**
   * Whether the data file's content arrived. A 5xx answer is "not yet known" (false); any other
   * refusal, such as 404 for a registration that was withdrawn or expired, is final.
   */
  boolean arrived(Credentials who, long dataFileId) throws CliException {
    Reply r = transport.send("GET", endpoint.uri(BASE + "datafile/" + dataFileId), Map.of("Accept", "application/json",
        "Authorization", who.basicHeader()), null, ARRIVAL_QUESTION_TIMEOUT);
    if (r.statusCode() >= 500) return false;
    return JsonReply.ok(r, transport.peer()).path("datafile").path("arrived").asBoolean(false);
  }

  /** Removes the registration unless the content arrived meanwhile; true when it had arrived. */
  boolean withdraw(Credentials who, long dataFileId) throws CliException {
    Reply r = transport.send("POST", endpoint.uri(BASE + "datafile/" + dataFileId + "/withdraw"), Map.of("Accept",
        "application/json", "Authorization", who.basicHeader(), "Content-Type", "application/json"),
        Transport.Body.of("{}"), REQUEST_TIMEOUT);
    return JsonReply.ok(r, transport.peer()).path("arrived").asBoolean(false);
  }

  /**
   * Any other call of the API (-requeue, -status, -scheduler): the body of a 200 "ok" answer, or the
   * master's own message as a refusal. {@code json} null sends no body.
   */
  JsonNode call(Credentials who, String method, String path, String json) throws CliException {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Accept", "application/json");
    headers.put("Authorization", who.basicHeader());
    if (json != null) headers.put("Content-Type", "application/json");
    Reply r = transport.send(method, endpoint.uri(BASE + path), headers, json == null ? null : Transport.Body.of(json),
        REQUEST_TIMEOUT);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    return JsonReply.ok(r, transport.peer());
  }

  /** A name as one path segment. */
  static String segment(String name) {
    return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The upload token is a bearer secret: it only ever travels over HTTPS. */
  private URI uploadUrl(String text) throws CliException {
    try {
      URI u = URI.create(text);
      if ("https".equalsIgnoreCase(u.getScheme()) && u.getHost() != null) return u;
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw CliException.refused("master at " + endpoint + " announced an unusable upload URL: " + text);
  }

  /** GET /config: the configuration document (the reply's "config" member). */
  JsonNode exportConfig(Credentials who) throws CliException {
    Reply r = transport.send("GET", endpoint.uri(BASE + "config"), Map.of("Accept", "application/json",
        "Authorization", who.basicHeader()), null, REQUEST_TIMEOUT);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    JsonNode config = JsonReply.ok(r, transport.peer()).get("config");
    if (config == null || !config.isObject()) throw CliException.refused(transport.peer() + " sent no config document");
    return config;
  }

  /** POST /config[?dryRun=true]: the whole reply (dryRun, changes, diff). */
  JsonNode applyConfig(Credentials who, String document, boolean dryRun) throws CliException {
    Reply r = transport.send("POST", endpoint.uri(BASE + "config" + (dryRun ? "?dryRun=true" : "")), Map.of("Accept",
        "application/json", "Authorization", who.basicHeader(), "Content-Type", "application/json"),
        Transport.Body.of(document), REQUEST_TIMEOUT);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    return JsonReply.ok(r, transport.peer());
  }
}
