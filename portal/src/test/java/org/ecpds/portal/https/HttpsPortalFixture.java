package org.ecpds.portal.https;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.testkit.Tools;

/**
 * A portal HTTPS server over a {@link MemoryPortal} on a loopback port, its certificate in a PEM file
 * for the clients, and a runner for the real client programs.
 */
public final class HttpsPortalFixture implements AutoCloseable {
  public static final String USER = "alice";
  public final String password = "pw-" + java.util.UUID.randomUUID();
  public final MemoryPortal portal = new MemoryPortal();
  public final Path dir;
  public final Path certificate;
  private final PortalHttpsServer server;

  public record Result(int exit, String output) {}

  public HttpsPortalFixture(Path dir) throws Exception {
    this.dir = dir;
    portal.user(USER, password).grant(USER, "DEST").grant(USER, "RO", org.ecpds.portal.fs.FsPermission.GET,
        org.ecpds.portal.fs.FsPermission.DIR);
    TlsMaterial tls = TlsMaterial.generate(List.of("localhost"));
    certificate = dir.resolve("portal-cert.pem");
    Files.writeString(certificate, tls.certificatePem());
    server = new PortalHttpsServer(portal, "127.0.0.1", 0, tls, "mover-test");
    server.start();
  }

  public int port() {
    return server.port();
  }

  public String url(String path) {
    return "https://127.0.0.1:" + port() + path;
  }

  /** Runs a client program to completion (2 minutes at most), stdin from {@code input} or /dev/null. */
  public Result run(Map<String, String> env, String input, String... command) throws IOException, InterruptedException {
    Tools.require(command[0], packageOf(command[0]));
    Path out = Files.createTempFile(dir, "client", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    if (input == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (input != null) {
      try (var stdin = p.getOutputStream()) {
        stdin.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new IllegalStateException(command[0] + " timed out; output:\n" + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  public Result run(String... command) throws IOException, InterruptedException {
    return run(Map.of(), null, command);
  }

  /** curl trusting exactly this server's certificate, authenticated as the test user. */
  public Result curl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", certificate.toString(), "-u", USER + ":" + password));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new));
  }

  static String packageOf(String program) {
    return switch (program) {
      case "litmus" -> "litmus";
      case "cadaver" -> "cadaver";
      case "script" -> "bsdutils";
      case "rclone" -> "rclone";
      case "wget" -> "wget";
      default -> "curl";
    };
  }

  public static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  public static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
