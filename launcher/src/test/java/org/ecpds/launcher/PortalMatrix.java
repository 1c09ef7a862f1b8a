package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.cli.Ecpds;
import org.ecpds.common.config.Config;

/**
 * The standalone that {@link PortalClientsEndToEndTest}'s clients talk to: H2, every portal listener on a
 * free port (plain FTP on as well), one portal user with every permission on {@link #DEST}, an S3 key, and
 * one file per client pushed by the CLI (no dissemination host, so each stays StandBy for the portal). A
 * second destination, {@link #HIDDEN}, holds a file the user must never reach.
 */
final class PortalMatrix implements AutoCloseable {
  static final String DEST = "MATRIX";
  static final String HIDDEN = "HIDDEN";
  static final String USER = "matrix";
  static final String PASSWORD = "matrix-secret-1";
  static final String SECRET = "hidden destination: never served to " + USER + "\n";
  static final List<String> CLIENTS = List.of("sftp", "scp", "scp-O", "lftp-sftp", "lftp-ftp", "lftp-ftps",
      "curl", "wget", "rclone-sftp", "rclone-ftp", "rclone-webdav", "rclone-s3", "aws", "s3cmd", "cadaver");

  private final Path tmp;
  private final Standalone sa;
  private final Rest admin;
  private final Map<String, Integer> ports;
  private final String accessKey;
  private final String secretKey;
  private final Map<String, String> shaOf = new HashMap<>();
  private final Map<String, Long> transferOf = new HashMap<>();
  private final long hiddenTransfer;

  private PortalMatrix(Path tmp) throws Exception {
    this.tmp = tmp;
    Path dataDir = tmp.resolve("ecpds-data");
    // the matrix makes a dozen deliberate failed logins from 127.0.0.1; the guard's slow-down (tested by
    // PortalLoginGuardTest and the REST tests) must not refuse the right password of the next client
    Config config = TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", 0).with("portal.https.port", 0)
        .with("portal.s3.port", 0).with("portal.ftps.port", 0).with("portal.ftps.implicitPort", 0)
        .with("portal.ftp.port", 0).with("portal.ftp.passivePorts", "0").with("monitor.port", 0)
        .with("master.bcryptCost", 4).with("auth.freeFailures", 1000);
    sa = Standalone.start(config, System.out);
    try {
      Path cert = dataDir.resolve("tls/cert.pem");
      String adminPassword = sa.master().generatedAdminPassword();
      admin = new Rest(sa.master().restPort(), cert, "admin", adminPassword);
      admin.call("POST", "destination", Map.of("name", DEST));
      admin.call("POST", "destination", Map.of("name", HIDDEN));
      admin.call("POST", "incoming/user", Map.of("id", USER, "password", PASSWORD));
      admin.call("PUT", "incoming/user/" + USER + "/destination/" + DEST, Map.of("get", true, "put", true, "delete",
          true, "dir", true, "mkdir", true, "rmdir", true, "rename", true, "size", true, "mtime", true));
      JsonNode key = admin.call("POST", "incoming/user/" + USER + "/s3key", null).get("key");
      accessKey = key.get("accessKeyId").asText();
      secretKey = key.get("secretKey").asText();
      ports = sa.mover().portalPorts();
      assertThat(ports).containsKeys("sftp", "https", "s3", "ftps", "ftp");

      Path src = Files.createDirectories(tmp.resolve("staged"));
      int i = 0;
      for (String client : CLIENTS) {
        Path f = src.resolve(client + ".bin");
        StandaloneEndToEndTest.writeRandom(f, 1_000_000 + 4099L * i, 100 + i++);
        shaOf.put(client, StandaloneEndToEndTest.sha256(f));
        transferOf.put(client, admin.transferOf(push(cert, adminPassword, DEST, f)));
      }
      Path secret = Files.writeString(src.resolve("secret.bin"), SECRET);
      hiddenTransfer = admin.transferOf(push(cert, adminPassword, HIDDEN, secret));
    } catch (Exception | Error e) {
      sa.close();
      throw e;
    }
  }

  static PortalMatrix start(Path tmp) throws Exception {
    return new PortalMatrix(tmp);
  }

  Path tmp() {
    return tmp;
  }

  Rest admin() {
    return admin;
  }

  Map<String, Integer> ports() {
    return ports;
  }

  String accessKey() {
    return accessKey;
  }

  String secretKey() {
    return secretKey;
  }

  /** The SHA-256 of the file pushed for {@code client}. */
  String sha256Of(String client) {
    return shaOf.get(client);
  }

  /** The StandBy transfer of the file pushed for {@code client}. */
  long transferOf(String client) {
    return transferOf.get(client);
  }

  /** The status of the hidden destination's transfer (HOLD unless someone downloaded it). */
  String hiddenTransferStatus() throws Exception {
    return admin.call("GET", "transfer/" + hiddenTransfer, null).at("/transfer/status").asText();
  }

  @Override
  public void close() throws Exception {
    sa.close();
  }

  /** The ecpds CLI in this JVM (the real push path): returns the DataFile id. */
  private long push(Path cert, String adminPassword, String destination, Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Ecpds.run(new String[] {"-echost", "localhost", "-ecport", String.valueOf(sa.master().restPort()),
        "-cacert", cert.toString(), "-user", "admin", "-pass", adminPassword, "-destination", destination,
        "-source", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return Long.parseLong(out.toString(StandardCharsets.UTF_8).strip());
  }
}
