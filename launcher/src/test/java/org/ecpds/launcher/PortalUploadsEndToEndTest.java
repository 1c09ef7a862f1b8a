package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.Processes;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: an upload through each portal protocol becomes a data file of the destination, exactly as
 * a CLI push does, and is disseminated to a real sshd target; a download through another protocol
 * reads back the same bytes, and a delete takes the file out of the portal. Standalone on H2, real
 * clients (OpenSSH sftp and scp -O, curl over HTTPS and explicit FTPS, aws CLI over S3 with a key the master made).
 */
class PortalUploadsEndToEndTest {
  private static final String USER = "bob";
  private static final String PASSWORD = "bob-secret-1";
  @TempDir Path tmp;

  @Test
  void uploadsThroughEachProtocolAreDisseminatedToTheTarget() throws Exception {
    Tools.require("sshpass", "sshpass");
    Tools.require("curl", "curl");
    Tools.require("scp", "openssh-client");
    Path dataDir = tmp.resolve("ecpds-data");
    Config config = TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", 0).with("portal.https.port", 0).with("portal.s3.port", 0).with("portal.ftps.port", 0).with("portal.ftps.implicitPort", 0).with("portal.ftp.passivePorts", "0").with("monitor.port", 0)
        .with("master.bcryptCost", 4);
    try (OpenSshServer sshd = OpenSshServer.start(); Standalone sa = Standalone.start(config, System.out)) {
      Path cert = dataDir.resolve("tls/cert.pem");
      Rest admin = new Rest(sa.master().restPort(), cert, "admin", sa.master().generatedAdminPassword());
      admin.call("POST", "destination", Map.of("name", "DROP", "maxConnections", 2, "retryFrequency", 2000));
      admin.call("POST", "host", Map.of("name", "target", "transferMethod", "sftp", "address", "127.0.0.1",
          "port", sshd.port(), "login", sshd.user(), "password", sshd.password(), "directory", "in/$destination"));
      admin.call("PUT", "destination/DROP/host/target", Map.of("priority", 0));
      admin.call("POST", "incoming/user", Map.of("id", USER, "password", PASSWORD));
      admin.call("PUT", "incoming/user/" + USER + "/destination/DROP", Map.of("get", true, "put", true, "delete", true));
      Map<String, Integer> ports = sa.mover().portalPorts();

      Path viaSftp = random("via-sftp.bin", 3 << 20, 1);
      sftp(ports.get("sftp"), "put " + viaSftp + " DROP/via-sftp.bin");
      Path viaScp = random("via-scp.bin", 2 << 20, 2);
      Processes.run(tmp, List.of("sshpass", "-p", PASSWORD, "scp", "-O", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
          "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-P", String.valueOf(ports.get("sftp")),
          viaScp.toString(), USER + "@127.0.0.1:DROP/via-scp.bin"));
      Path viaHttps = random("via-https.bin", 5 << 20, 3);
      curl(ports.get("https"), "-T", viaHttps.toString(), "/DROP/via-https.bin");

      Path viaFtps = random("via-ftps.bin", 4 << 20, 4);
      Processes.run(tmp, List.of("curl", "-sS", "--fail", "--ssl-reqd", "-k", "-u", USER + ":" + PASSWORD, "-T",
          viaFtps.toString(), "ftp://127.0.0.1:" + ports.get("ftps") + "/DROP/via-ftps.bin"));

      JsonNode s3key = admin.call("POST", "incoming/user/" + USER + "/s3key", null).get("key");
      Path viaS3 = random("via-s3.bin", 12 << 20, 5); // above aws CLI's 8 MiB: a multipart upload
      aws(ports.get("s3"), s3key, "s3", "cp", viaS3.toString(), "s3://DROP/via-s3.bin");
      String forged = awsRun(ports.get("s3"), s3key.get("accessKeyId").asText(), "x".repeat(40), "s3", "ls", "s3://DROP/");
      assertThat(forged).as("a wrong secret is refused").doesNotStartWith("0\n").contains("SignatureDoesNotMatch");

      for (Path up : List.of(viaSftp, viaScp, viaHttps, viaFtps, viaS3)) {
        Path delivered = sshd.home().resolve("in/DROP").resolve(up.getFileName());
        Conditions.await(up.getFileName() + " disseminated to the sshd target", Duration.ofSeconds(120),
            () -> Files.exists(delivered) && Files.size(delivered) == Files.size(up)
                && StandaloneEndToEndTest.sha256(delivered).equals(StandaloneEndToEndTest.sha256(up)));
      }
      // each upload is a data file of the destination with the uploader's checksum, like a CLI push
      JsonNode files = admin.call("GET", "datafile?destination=DROP", null).get("datafiles");
      assertThat(files).hasSize(5);
      for (JsonNode f : files) assertThat(f.get("arrived").asBoolean()).isTrue();

      // read back through another protocol, then delete: the file leaves the portal
      Path back = tmp.resolve("back.bin");
      curl(ports.get("https"), "-o", back.toString(), "/DROP/via-sftp.bin");
      assertThat(StandaloneEndToEndTest.sha256(back)).isEqualTo(StandaloneEndToEndTest.sha256(viaSftp));
      Path backS3 = tmp.resolve("back-s3.bin");
      aws(ports.get("s3"), s3key, "s3", "cp", "s3://DROP/via-ftps.bin", backS3.toString());
      assertThat(StandaloneEndToEndTest.sha256(backS3)).isEqualTo(StandaloneEndToEndTest.sha256(viaFtps));
      sftp(ports.get("sftp"), "rm DROP/via-scp.bin");
      String listing = curl(ports.get("https"), "-H", "Accept: application/json", "/DROP/");
      assertThat(listing).contains("via-sftp.bin").contains("via-https.bin").doesNotContain("via-scp.bin");
    }
  }

  /** Debian's aws CLI against the S3 portal with the user's key (self-signed certificate: not verified). */
  private void aws(int port, JsonNode key, String... args) throws Exception {
    String out = awsRun(port, key.get("accessKeyId").asText(), key.get("secretKey").asText(), args);
    assertThat(out).as("aws " + String.join(" ", args) + ": exit code first").startsWith("0\n");
  }

  /** The aws CLI's exit code, a newline and its output. */
  private String awsRun(int port, String accessKeyId, String secretKey, String... args) throws Exception {
    Tools.require("/usr/bin/aws", "awscli");
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/aws", "--endpoint-url", "https://127.0.0.1:" + port,
        "--no-verify-ssl", "--region", "us-east-1"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true);
    pb.environment().put("AWS_ACCESS_KEY_ID", accessKeyId);
    pb.environment().put("AWS_SECRET_ACCESS_KEY", secretKey);
    pb.environment().put("AWS_CONFIG_FILE", tmp.resolve("aws-config").toString());
    pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("aws-credentials").toString());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    return p.waitFor() + "\n" + out;
  }

  private Path random(String name, long size, long seed) throws Exception {
    Path f = tmp.resolve("src").resolve(name);
    Files.createDirectories(f.getParent());
    StandaloneEndToEndTest.writeRandom(f, size, seed);
    return f;
  }

  private void sftp(int port, String command) throws Exception {
    Path batch = Files.createTempFile(tmp, "sftp", ".batch");
    Files.writeString(batch, command + "\n");
    Processes.run(tmp, List.of("sshpass", "-p", PASSWORD, "sftp", "-o", "BatchMode=no", "-b", batch.toString(),
        "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "PubkeyAuthentication=no", "-P", String.valueOf(port), USER + "@127.0.0.1"));
  }

  /** curl against the HTTPS portal: the last argument is the path, the ones before are curl options. */
  private String curl(int port, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("curl", "-sS", "--fail", "-k", "-u", USER + ":" + PASSWORD));
    cmd.addAll(List.of(args).subList(0, args.length - 1));
    cmd.add("https://127.0.0.1:" + port + args[args.length - 1]);
    return Processes.run(tmp, cmd);
  }
}
