package org.ecpds.master;

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
import java.util.UUID;
import org.ecpds.common.config.Config;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.TestDatabase;

/** A real master on a test database: REST on a free port, gRPC in-process. */
final class MasterHarness implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final MasterNode node;
  final Path dir;
  final String inProcessName = "master-" + UUID.randomUUID();
  final HttpClient http;
  final String adminPassword;

  MasterHarness(TestDatabase db) throws Exception {
    this(db, java.time.Clock.systemUTC());
  }

  /** With the clock the master's time-based rules read (a ManualClock in tests that advance time). */
  MasterHarness(TestDatabase db, java.time.Clock clock) throws Exception {
    this(db, clock, c -> c);
  }

  /** With options of the test's own on top of the harness's. */
  MasterHarness(TestDatabase db, java.time.Clock clock, java.util.function.UnaryOperator<Config> extra) throws Exception {
    dir = Files.createTempDirectory("ecpds-master-test");
    Config cfg = Config.empty().with("master.dataDir", dir).with("master.db.url", db.jdbcUrl())
        .with("master.db.user", db.user()).with("master.db.password", db.password()).with("master.rest.port", 0)
        .with("master.rest.host", "127.0.0.1").with("master.grpc.port", -1).with("master.inProcessName", inProcessName)
        .with("master.bcryptCost", 4).with("master.moverGraceMillis", 300);
    node = new MasterNode(extra.apply(cfg), clock).start();
    adminPassword = node.generatedAdminPassword();
    http = HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(node.tls().certificatePem())))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  record Reply(int code, JsonNode body) {}

  Reply call(String method, String path, Object body) throws Exception {
    return call(method, path, body, "admin", adminPassword);
  }

  Reply call(String method, String path, Object body, String user, String pass) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + node.restPort() + "/ecpds/v1/" + path))
        .timeout(Duration.ofSeconds(30));
    if (user != null) {
      b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
    }
    String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
    b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    if (text != null) b.header("Content-Type", "application/json");
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode node = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    return new Reply(r.statusCode(), node);
  }

  @Override
  public void close() {
    node.close();
    Processes.deleteTree(dir);
  }
}
