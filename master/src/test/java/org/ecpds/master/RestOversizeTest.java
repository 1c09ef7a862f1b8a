package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A URI or headers beyond the REST port's limits get the documented JSON error, which the client
 * can read (Jetty's own limit answered and closed the connection while the client was still
 * sending, so the client saw a reset instead of the 414).
 */
class RestOversizeTest {
  private static MasterHarness m;

  @BeforeAll
  static void start() throws Exception {
    m = new MasterHarness(TestDatabases.h2());
  }

  @AfterAll
  static void stop() {
    if (m != null) m.close();
  }

  @ParameterizedTest(name = "{0} bytes of URI -> 414")
  @CsvSource({"10240", "102400"})
  void longUrisAre414InJson(int length) throws Exception {
    String path = "/ecpds/v1/destination/" + "a".repeat(length);
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + path)).build());
    assertJsonError(r, 414, "request URI too long");
  }

  @ParameterizedTest(name = "{0} bytes of one header -> 431")
  @CsvSource({"20480", "65536"})
  void largeHeadersAre431InJson(int length) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/ecpds/v1/version"))
        .header("X-Padding", "p".repeat(length)).build());
    assertJsonError(r, 431, "request headers too large");
  }

  @ParameterizedTest(name = "{0} bytes of URI is within the limit")
  @CsvSource({"4096"})
  void urisWithinTheLimitReachTheApi(int length) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/ecpds/v1/version?x=" + "a".repeat(length)))
        .header("Authorization", basic()).build());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  /**
   * As curl sends it: the request in TLS records as the socket takes them, then the answer. With
   * Jetty's own 8 KiB limit the server answered after the first 8 KiB and closed, so the rest of
   * the write failed (curl: "failed sending data", no status at all).
   */
  @ParameterizedTest(name = "raw {0}: {1} bytes -> {2}")
  @CsvSource({"uri, 102400, 414", "header, 65536, 431", "uri, 262144, 414"})
  void rawClientsReadTheAnswerAfterSendingEverything(String where, int length, int code) throws Exception {
    String target = where.equals("uri") ? "/ecpds/v1/destination/" + "a".repeat(length) : "/ecpds/v1/version";
    String header = where.equals("header") ? "X-Padding: " + "p".repeat(length) + "\r\n" : "";
    byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + header + "Connection: close\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    javax.net.ssl.SSLContext tls = org.ecpds.common.tls.PemTrust.trusting(java.util.List.of(m.node.tls().certificatePem()));
    try (var socket = tls.getSocketFactory().createSocket("127.0.0.1", m.node.restPort())) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      for (int i = 0; i < request.length; i += 4096) { // in pieces, as a client writing a stream does
        out.write(request, i, Math.min(4096, request.length - i));
      }
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(response).startsWith("HTTP/1.1 " + code + " ");
      assertThat(response).contains("{\"status\":\"error\",\"message\":\"" + (code == 414 ? "request URI too long" : "request headers too large") + "\"}");
    }
  }

  private static void assertJsonError(HttpResponse<String> r, int code, String message) throws Exception {
    assertThat(r.statusCode()).isEqualTo(code);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode body = MasterHarness.JSON.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("error");
    assertThat(body.get("message").asText()).isEqualTo(message);
  }

  private static HttpResponse<String> send(HttpRequest request) throws Exception {
    return m.http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String base() {
    return "https://localhost:" + m.node.restPort();
  }

  private static String basic() {
    return "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + m.adminPassword).getBytes());
  }
}
