package org.ecpds.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.ecpds.common.tls.PemTrust;

/** A REST client for tests: trusts the master's certificate, speaks JSON, fails on non-2xx. */
final class Rest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String base;
  private final String auth;

  Rest(int port, Path certPem, String user, String password) throws Exception {
    http = HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(Files.readString(certPem))))
        .connectTimeout(Duration.ofSeconds(30)).build(); // hang guards, as below
    base = "https://localhost:" + port + "/ecpds/v1/";
    auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  JsonNode call(String method, String path, Object body) throws Exception {
    String text = body == null ? null : JSON.writeValueAsString(body);
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
        .timeout(Duration.ofSeconds(120)) // a hang guard: a freshly started master on a loaded machine can be slow
        .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    if (text != null) b.header("Content-Type", "application/json");
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  /** Polls a transfer until it reaches the status (or fails the test with the last one seen). */
  JsonNode awaitTransfer(long id, String status, Duration timeout) throws Exception {
    JsonNode[] last = {null};
    try {
      return org.ecpds.testkit.Conditions.awaitValue("transfer " + id + " in " + status, timeout, () -> {
        last[0] = call("GET", "transfer/" + id, null).get("transfer");
        return java.util.Optional.of(last[0]).filter(t -> t.get("status").asText().equals(status));
      });
    } catch (AssertionError e) {
      throw new AssertionError("transfer " + id + " did not reach " + status + " in " + timeout + "; last: " + last[0]);
    }
  }

  void awaitMoverOnline(String name) throws Exception {
    awaitMoverOnline(name, Duration.ofSeconds(30));
  }

  void awaitMoverOnline(String name, Duration timeout) throws Exception {
    org.ecpds.testkit.Conditions.await("mover " + name + " online", timeout, () -> {
      JsonNode movers;
      try {
        movers = call("GET", "mover", null).get("movers");
      } catch (java.io.IOException e) {
        return false; // a master that has just (re)started may not answer in time yet
      }
      for (JsonNode m : movers) {
        if (m.get("name").asText().equals(name) && m.get("online").asBoolean()) return true;
      }
      return false;
    });
  }

  long transferOf(long dataFileId) throws Exception {
    return call("GET", "datafile/" + dataFileId, null).at("/datafile/transfers/0/id").asLong();
  }
}
