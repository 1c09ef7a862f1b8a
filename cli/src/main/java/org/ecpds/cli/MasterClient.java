package org.ecpds.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** The master's REST API (/ecpds/v1) as the CLI uses it: /version and POST /datafile. */
final class MasterClient {
  static final String BASE = "/ecpds/v1/";
  private static final String UNTRUSTED_HINT =
      "pass the master's certificate with -cacert FILE (or ECPDS_CACERT) if it is self-signed";
  // registration is quick; this only bounds a master that accepted the connection but hangs
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final Endpoint endpoint;
  private final Transport transport;

  MasterClient(Endpoint endpoint, SSLContext trust, Duration connectTimeout) {
    this.endpoint = endpoint;
    this.transport = new Transport("master at " + endpoint, UNTRUSTED_HINT, trust, connectTimeout);
  }

  /** The master's version; needs no authentication. */
  String version() throws CliException {
    HttpResponse<String> r = transport.send(request("version").GET().build());
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
    HttpRequest req = request("datafile").header("Authorization", who.basicHeader())
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    HttpResponse<String> r = transport.send(req);
    if (r.statusCode() == 401) throw CliException.refused("authentication failed for user " + who.user());
    JsonNode body = JsonReply.ok(r, transport.peer());
    String peer = transport.peer();
    URI upload = uploadUrl(JsonReply.text(body, "uploadUrl", peer));
    return new Allocation(JsonReply.number(body, "dataFileId", peer), body.path("mover").asText("?"), upload,
        JsonReply.text(body, "uploadToken", peer), JsonReply.text(body, "uploadCertificate", peer));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(endpoint.uri(BASE + path)).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
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
}
