package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ecpds.cli.Ecpds;
import org.ecpds.common.config.Config;
import org.ecpds.common.tls.PemTrust;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics of the master and the mover, scraped after a push is disseminated and read by a real
 * Prometheus text-format parser (python3-prometheus-client's text_string_to_metric_families).
 */
class StandaloneMetricsTest {
  private static final String PARSER = String.join("\n",
      "import json, sys",
      "from prometheus_client.parser import text_string_to_metric_families",
      "out = {}",
      "for fam in text_string_to_metric_families(sys.stdin.read()):",
      "    for s in fam.samples:",
      "        key = s.name + '{' + ','.join(k + '=' + v for k, v in sorted(s.labels.items())) + '}'",
      "        out[key] = s.value",
      "print(json.dumps(out))");

  @TempDir Path tmp;

  @Test
  void masterAndMoverMetricsParseAndCountADeliveredPush() throws Exception {
    Config cfg = TestConfig.empty().with("standalone.dataDir", tmp.resolve("data")).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1)
        .with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
        .with("monitor.port", 0).with("master.bcryptCost", 4);
    try (Standalone sa = Standalone.start(cfg, new PrintStream(new ByteArrayOutputStream()))) {
      Path cert = tmp.resolve("data/tls/cert.pem");
      String token = Files.readString(tmp.resolve("data/metrics-token")).trim();
      Rest admin = new Rest(sa.master().restPort(), cert, "admin", sa.master().generatedAdminPassword());
      admin.call("POST", "destination", Map.of("name", "M"));
      Path target = Files.createDirectories(tmp.resolve("target"));
      admin.call("POST", "host", Map.of("name", "disk", "transferMethod", "local", "address", target.toString(),
          "directory", "out"));
      admin.call("PUT", "destination/M/host/disk", Map.of("priority", 0));
      Path file = tmp.resolve("f.bin");
      StandaloneEndToEndTest.writeRandom(file, 100_000, 7);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit = Ecpds.run(new String[] {"-echost", "localhost", "-ecport", "" + sa.master().restPort(), "-cacert",
          cert.toString(), "-user", "admin", "-destination", "M", "-source", file.toString()},
          java.io.InputStream.nullInputStream(), new PrintStream(out), System.err,
          k -> "ECPDS_PASS".equals(k) ? sa.master().generatedAdminPassword() : null);
      assertThat(exit).isZero();
      long id = Long.parseLong(out.toString(StandardCharsets.UTF_8).strip());
      long transfer = admin.call("GET", "datafile/" + id, null).at("/datafile/transfers/0/id").asLong();
      admin.awaitTransfer(transfer, "DONE", Duration.ofSeconds(60));

      HttpClient http = HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(Files.readString(cert)))).build();
      URI master = URI.create("https://localhost:" + sa.master().restPort() + "/metrics");
      URI mover = URI.create("https://localhost:" + sa.mover().mover().uploadServer().port() + "/metrics");
      assertThat(get(http, master, null).statusCode()).as("no token").isEqualTo(401);
      assertThat(get(http, master, "wrong-token-0123456789").statusCode()).as("wrong token").isEqualTo(401);
      assertThat(get(http, mover, null).statusCode()).isEqualTo(401);

      HttpResponse<String> m = get(http, master, token);
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      JsonNode ms = parse(m.body());
      assertThat(ms.path("ecpds_transfer_status_changes_total{status=DONE}").asDouble()).isGreaterThanOrEqualTo(1);
      assertThat(ms.path("ecpds_transfer_status_changes_total{status=EXEC}").asDouble()).isGreaterThanOrEqualTo(1);
      assertThat(ms.path("ecpds_transfers{status=DONE}").asDouble()).isEqualTo(1);
      assertThat(ms.path("ecpds_transfers{status=WAIT}").asDouble()).isZero();
      assertThat(ms.fieldNames()).toIterable().anyMatch(n -> n.startsWith("jvm_memory_used_bytes{"));

      HttpResponse<String> v = get(http, mover, token);
      assertThat(v.statusCode()).isEqualTo(200);
      JsonNode vs = parse(v.body());
      assertThat(vs.path("ecpds_mover_sent_bytes_total{protocol=local}").asDouble()).isEqualTo(100_000);
      assertThat(vs.path("ecpds_mover_transfer_seconds_count{outcome=done,protocol=local}").asDouble()).isEqualTo(1);
      // the API beside it is unchanged
      assertThat(admin.call("GET", "datafile/" + id, null).at("/datafile/arrived").asBoolean()).isTrue();

      // the sample dashboard reads only what the two endpoints export
      java.util.Set<String> exported = new java.util.HashSet<>();
      for (JsonNode all : List.of(ms, vs)) all.fieldNames().forEachRemaining(n -> exported.add(n.substring(0, n.indexOf('{'))));
      JsonNode dashboard = new ObjectMapper().readTree(Path.of("..", "docs", "grafana-dashboard.json").toFile());
      java.util.regex.Pattern metric = java.util.regex.Pattern.compile("\\b(?:ecpds|jvm)_[a-z_]+");
      List<String> used = new java.util.ArrayList<>();
      for (JsonNode panel : dashboard.get("panels")) {
        for (JsonNode t : panel.get("targets")) metric.matcher(t.get("expr").asText()).results().forEach(r -> used.add(r.group()));
      }
      assertThat(used).isNotEmpty();
      assertThat(exported).containsAll(used);
    }
  }

  private static HttpResponse<String> get(HttpClient http, URI uri, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every sample, as name{label=value,...} -> value, read by prometheus_client's own parser. */
  private static JsonNode parse(String exposition) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assertThat(python).as("python3 is needed: apt-get install -y python3 python3-prometheus-client").exists();
    Process p = new ProcessBuilder(python.toString(), "-c", PARSER).redirectErrorStream(false).start();
    p.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("the Prometheus parser (apt-get install -y python3-prometheus-client): " + err).isZero();
    return new ObjectMapper().readTree(json);
  }
}
