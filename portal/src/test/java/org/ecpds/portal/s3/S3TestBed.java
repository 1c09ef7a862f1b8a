package org.ecpds.portal.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.testkit.Processes;

/**
 * A portal S3 server over a {@link MemoryPortal} on loopback, with the PEM of its self-signed
 * certificate written where clients can be told to trust it, and a way to run client programs.
 * Users: "alice" may do everything on DATA and only read (GET, DIR) on READONLY; "bob" sees OTHER only.
 */
final class S3TestBed implements AutoCloseable {
  static final String ALICE_KEY = "AKALICE0000000000001";
  static final String BOB_KEY = "AKBOB000000000000002";

  record Result(int exitCode, String output) {}

  final MemoryPortal portal = new MemoryPortal();
  final Path dir;
  final Path caFile;
  final String aliceSecret = randomSecret();
  final String bobSecret = randomSecret();
  final PortalS3Server server;

  S3TestBed() throws Exception {
    dir = Files.createTempDirectory("ecpds-s3-");
    portal.grant("alice", "DATA").grant("alice", "READONLY", FsPermission.GET, FsPermission.DIR)
        .grant("bob", "OTHER")
        .s3Key("alice", ALICE_KEY, aliceSecret).s3Key("bob", BOB_KEY, bobSecret)
        .file("/OTHER/secret.txt", "bob's only".getBytes(StandardCharsets.UTF_8));
    TlsMaterial tls = TlsMaterial.generate(List.of("localhost"));
    caFile = dir.resolve("ca.pem");
    Files.writeString(caFile, tls.certificatePem());
    server = new PortalS3Server(portal, "127.0.0.1", 0, tls, "mover-test", "us-east-1", dir.resolve("parts"),
        64L * 1024 * 1024, Clock.systemUTC());
    server.start();
  }

  String endpoint() {
    return "https://127.0.0.1:" + server.port();
  }

  Path file(String name, int size, long seed) throws IOException {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    Path p = dir.resolve(name);
    Files.write(p, b);
    return p;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static String sha256(Path p) throws Exception {
    return sha256(Files.readAllBytes(p));
  }

  Result run(Map<String, String> env, List<String> command) throws Exception {
    Path out = Files.createTempFile(dir, "cmd", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + command + "\n" + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  private static String randomSecret() {
    byte[] b = new byte[24];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Processes.deleteTree(dir);
  }
}
