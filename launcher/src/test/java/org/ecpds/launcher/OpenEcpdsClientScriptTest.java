package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a running standalone: scripts/examples/openecpds-client.sh (curl on OpenECPDS's v1 paths) runs
 * unchanged and succeeds; then the CLI exports the configuration, everything is deleted through the
 * API, the CLI applies the export and exports again: the same file. A second apply changes nothing
 * and a bad document is refused naming the field.
 */
class OpenEcpdsClientScriptTest {
  private static final Path SCRIPT = Path.of("..", "scripts", "examples", "openecpds-client.sh").toAbsolutePath();
  @TempDir Path tmp;

  private Config config(Path dataDir) {
    return TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", 0).with("portal.https.port", 0).with("portal.s3.port", 0)
        .with("portal.ftps.port", 0).with("portal.ftps.implicitPort", 0).with("portal.ftp.passivePorts", "0")
        .with("monitor.port", 0).with("master.bcryptCost", 4);
  }

  record Run(int exit, String out) {}

  private Run script(int port, Path cert, String password) throws Exception {
    Path log = tmp.resolve("script.log");
    ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("ECPDS_URL", "https://localhost:" + port + "/ecpds/v1");
    pb.environment().put("ECPDS_USER", "admin");
    pb.environment().put("ECPDS_PASS", password);
    pb.environment().put("ECPDS_CACERT", cert.toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the script did not finish in 120 s:\n" + Files.readString(log));
    }
    return new Run(p.exitValue(), Files.readString(log));
  }

  @Test
  void clientScriptRunsAndConfigurationRoundTrips() throws Exception {
    assertThat(SCRIPT).exists();
    Path dataDir = tmp.resolve("ecpds-data");
    try (Standalone sa = Standalone.start(config(dataDir), System.out)) {
      int port = sa.master().restPort();
      Path cert = dataDir.resolve("tls/cert.pem");
      String password = sa.master().generatedAdminPassword();
      Rest admin = new Rest(port, cert, "admin", password);

      Run run = script(port, cert, password);
      assertThat(run.exit()).as(run.out()).isZero();
      String out = run.out();
      assertThat(out).contains("== done");
      assertThat(section(out, "destination list")).contains("\"name\":\"demo-v1-dest\"");
      assertThat(section(out, "incoming user add")).contains("\"iso\":\"GB\"");
      assertThat(section(out, "incoming category add")).contains("\"categories\":[\"ens\",\"oper\"]");
      assertThat(section(out, "incoming association list")).contains("[\"demo-v1-dest\"]");
      assertThat(section(out, "host option")).contains("\"ftp.passive\":\"false\"");
      assertThat(section(out, "datafile size")).contains("\"size\":-1");
      assertThat(section(out, "restored option")).contains("\"ftp.passive\":\"true\"");
      assertThat(admin.call("GET", "incoming/user", null).get("users")).isEmpty(); // the script removed its user

      // something of each kind for the round trip, and the script's destination and hosts
      admin.call("POST", "incoming/user", java.util.Map.of("id", "alice", "password", "alice-secret-1"));
      admin.call("PUT", "incoming/user/alice/destination/demo-v1-dest", java.util.Map.of("put", true));

      List<String> conn = List.of("-echost", "localhost", "-ecport", String.valueOf(port), "-cacert", cert.toString(),
          "-user", "admin", "-pass", password);
      Path first = tmp.resolve("first.json");
      cliOk(concat(List.of("config", "export", "-o", first.toString()), conn));
      assertThat(Files.readString(first)).contains("demo-v1-dest").contains("alice").doesNotContain("alice-secret-1");

      wipe(admin);
      assertThat(admin.call("GET", "destination", null).get("destinations")).isEmpty();
      assertThat(admin.call("GET", "host", null).get("hosts")).isEmpty();

      JavaProcess.Result applied = cliOk(concat(List.of("config", "apply", first.toString()), conn));
      assertThat(applied.out()).contains("+ destinations demo-v1-dest").contains("+ incomingUsers alice");
      Path second = tmp.resolve("second.json");
      cliOk(concat(List.of("config", "export", "-o", second.toString()), conn));
      assertThat(Files.readString(second)).isEqualTo(Files.readString(first));
      assertThat(cliOk(concat(List.of("config", "apply", second.toString()), conn)).out().strip()).isEqualTo("0 changes");

      Path bad = tmp.resolve("bad.json");
      Files.writeString(bad, Files.readString(first).replaceFirst("\"maxConnections\" : 2", "\"maxConnections\" : 0"));
      assertThat(Files.readString(bad)).isNotEqualTo(Files.readString(first));
      JavaProcess.Result refused = JavaProcess.run("org.ecpds.cli.Ecpds", concat(List.of("config", "apply",
          bad.toString(), "-dryrun"), conn), tmp);
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).contains("destinations[demo-v1-dest]").contains("maxConnections");
    }
  }

  /** Deletes every user, alias, destination and host through the REST API. */
  private static void wipe(Rest admin) throws Exception {
    for (JsonNode u : admin.call("GET", "incoming/user", null).get("users")) {
      admin.call("DELETE", "incoming/user/del/" + u.get("id").asText(), null);
    }
    for (JsonNode d : admin.call("GET", "destination", null).get("destinations")) {
      String name = d.get("name").asText();
      for (JsonNode a : admin.call("GET", "destination/" + name, null).at("/destination/aliases")) {
        admin.call("DELETE", "destination/" + name + "/alias/" + a.asText(), null);
      }
    }
    for (JsonNode d : admin.call("GET", "destination", null).get("destinations")) {
      admin.call("DELETE", "destination/" + d.get("name").asText(), null);
    }
    for (JsonNode h : admin.call("GET", "host", null).get("hosts")) {
      admin.call("DELETE", "host/" + h.get("name").asText(), null);
    }
  }

  private JavaProcess.Result cliOk(List<String> args) throws Exception {
    JavaProcess.Result r = JavaProcess.run("org.ecpds.cli.Ecpds", args, tmp);
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  /** The lines of the script's output under "== title", up to the next title. */
  private static String section(String out, String title) {
    int at = out.indexOf("== " + title + "\n");
    assertThat(at).as("section " + title + " in\n" + out).isGreaterThanOrEqualTo(0);
    int from = at + title.length() + 4;
    int next = out.indexOf("\n== ", from);
    return out.substring(from, next < 0 ? out.length() : next);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
