package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.ApacheServer;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.NginxServer;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.S3ProxyServer;
import org.ecpds.testkit.VsftpdServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dissemination path end to end over every protocol against real servers:
 * files pushed with the CLI go out in priority order, the primary host is down so every transfer
 * fails over to the backup, and each file arrives byte-identical.
 */
class DisseminationProtocolsTest {
  @TempDir Path tmp;

  /** A running target server: the host JSON for it, and where a remote path lands on its disk. */
  private record Target(AutoCloseable server, Map<String, Object> host, Function<String, Path> onDisk) {}

  private static Target target(String protocol) {
    switch (protocol) {
      case "sftp" -> {
        OpenSshServer s = OpenSshServer.start();
        return new Target(s, Map.of("transferMethod", "sftp", "address", "127.0.0.1", "port", s.port(), "login", s.user(),
            "password", s.password(), "directory", "in/$destination"), p -> s.home().resolve(p));
      }
      case "ftp" -> {
        VsftpdServer s = VsftpdServer.start(VsftpdServer.Mode.PLAIN);
        return new Target(s, Map.of("transferMethod", "ftp", "address", "127.0.0.1", "port", s.port(), "login", s.user(),
            "password", s.password(), "directory", "in/$destination"), p -> s.root().resolve(p));
      }
      case "s3" -> {
        S3ProxyServer s = S3ProxyServer.start("ecpds-bucket");
        return new Target(s, Map.of("transferMethod", "s3", "address", "127.0.0.1", "port", s.port(), "login",
            s.accessKey(), "password", s.secretKey(), "directory", "in/$destination",
            "options", Map.of("s3.scheme", "http", "s3.bucketName", "ecpds-bucket")), p -> s.object("ecpds-bucket", p));
      }
      case "scp" -> {
        OpenSshServer s = OpenSshServer.start();
        return new Target(s, Map.of("transferMethod", "scp", "address", "127.0.0.1", "port", s.port(), "login", s.user(),
            "password", s.password(), "directory", "in/$destination"), p -> s.home().resolve(p));
      }
      case "ftps" -> {
        VsftpdServer s = VsftpdServer.start(VsftpdServer.Mode.EXPLICIT_TLS);
        return new Target(s, Map.of("transferMethod", "ftps", "address", "127.0.0.1", "port", s.port(), "login",
            s.user(), "password", s.password(), "directory", "in/$destination",
            "options", Map.of("ftps.trustCert", s.certificate().toString())), p -> s.root().resolve(p));
      }
      case "https" -> {
        NginxServer s = NginxServer.start();
        return new Target(s, Map.of("transferMethod", "https", "address", "127.0.0.1", "port", s.sslPort(), "login",
            s.user(), "password", s.password(), "directory", "in/$destination",
            "options", Map.of("http.trustCert", s.certificatePem())), p -> s.root().resolve(p));
      }
      case "webdav" -> {
        ApacheServer s = ApacheServer.start();
        return new Target(s, Map.of("transferMethod", "webdav", "address", "127.0.0.1", "port", s.port(), "login",
            s.user(), "password", s.password(), "directory", "in/$destination"), p -> s.root().resolve(p));
      }
      case "local" -> {
        Path root;
        try {
          root = java.nio.file.Files.createTempDirectory("ecpds-local-target");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        Path r = root;
        return new Target(() -> org.ecpds.testkit.Processes.deleteTree(r), Map.of("transferMethod", "local",
            "address", root.toString(), "directory", "in/$destination"), p -> r.resolve(p));
      }
      default -> throw new IllegalArgumentException(protocol);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sftp", "scp", "ftp", "ftps", "https", "webdav", "s3", "local"})
  void pushedFilesFailOverAndArriveIdentical(String protocol) throws Exception {
    Target t = target(protocol);
    try (AutoCloseable server = t.server();
        Standalone sa = Standalone.start(TestConfig.empty().with("standalone.dataDir", tmp.resolve("data"))
            .with("master.rest.port", 0).with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1).with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1)
            .with("monitor.port", 0).with("master.bcryptCost", 4), System.out)) {
      Path cert = tmp.resolve("data/tls/cert.pem");
      String password = sa.master().generatedAdminPassword();
      Rest admin = new Rest(sa.master().restPort(), cert, "admin", password);
      admin.call("POST", "destination", Map.of("name", "D", "maxConnections", 2, "retryFrequency", 1000));
      Map<String, Object> down = new HashMap<>(t.host());
      down.put("name", "primary");
      if (protocol.equals("local")) {
        down.put("address", tmp.resolve("unmounted").toString()); // a file system that is not there
      } else {
        down.put("port", FreePorts.next()); // nothing listens there
      }
      down.put("options", merged(t.host(), Map.of("ectrans.connectTimeout", "3s")));
      admin.call("POST", "host", down);
      Map<String, Object> backup = new HashMap<>(t.host());
      backup.put("name", "backup");
      admin.call("POST", "host", backup);
      admin.call("PUT", "destination/D/host/primary", Map.of("priority", 0));
      admin.call("PUT", "destination/D/host/backup", Map.of("priority", 1));

      List<Long> transfers = new ArrayList<>();
      List<String> sums = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Path f = tmp.resolve("file-" + i + ".bin");
        StandaloneEndToEndTest.writeRandom(f, 3_000_000L + i, 100 + i);
        sums.add(StandaloneEndToEndTest.sha256(f));
        JavaProcess.Result push = JavaProcess.run("org.ecpds.cli.Ecpds", List.of("-echost", "localhost", "-ecport",
            String.valueOf(sa.master().restPort()), "-cacert", cert.toString(), "-user", "admin", "-pass", password,
            "-destination", "D", "-source", f.toString(), "-priority", String.valueOf(50 - i)), tmp);
        assertThat(push.exit()).as(push.err()).isZero();
        transfers.add(admin.transferOf(Long.parseLong(push.out().strip())));
      }
      for (int i = 0; i < 3; i++) {
        JsonNode done = admin.awaitTransfer(transfers.get(i), "DONE", Duration.ofSeconds(90));
        assertThat(done.get("history")).extracting(h -> h.get("status").asText())
            .containsSubsequence("EXEC", "RETR", "WAIT", "EXEC", "DONE");
        assertThat(StandaloneEndToEndTest.sha256(t.onDisk().apply("in/D/file-" + i + ".bin"))).isEqualTo(sums.get(i));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> merged(Map<String, Object> host, Map<String, String> extra) {
    Map<String, String> out = new HashMap<>((Map<String, String>) host.getOrDefault("options", Map.of()));
    out.putAll(extra);
    return out;
  }
}
