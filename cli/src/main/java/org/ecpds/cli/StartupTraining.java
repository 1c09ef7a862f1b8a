package org.ecpds.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ecpds.common.tls.TlsMaterial;

/**
 * One complete push against an in-process HTTPS master and mover on loopback, so that a JVM run with
 * it loads and links every class a real push needs. scripts/ecpds runs it once per build and JDK to
 * record the class-data archive (AppCDS, or an AOT cache on a JDK that has one) that later pushes
 * start from. Exits 0 only if the push succeeded, so a broken archive is never recorded from a
 * failed run.
 */
public final class StartupTraining {
  private static final String TOKEN = "training-token";

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    System.exit(push());
  }

  /** The training push's exit code (0 when the whole push path ran). */
  static int push() throws IOException {
    TlsMaterial tls = TlsMaterial.generate(List.of("localhost"));
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    int port = server.getAddress().getPort();
    String cert = tls.certificatePem();
    server.createContext("/ecpds/v1/datafile", x -> answer(x, Map.of("status", "ok", "dataFileId", 1, "mover", "training",
        "uploadUrl", "https://localhost:" + port + "/upload/1", "uploadToken", TOKEN, "uploadCertificate", cert)));
    server.createContext("/upload/", x -> answer(x, Map.of("status", "ok", "dataFileId", 1, "size", drain(x))));
    server.start();
    Path dir = Files.createTempDirectory("ecpds-training");
    int exit;
    try {
      Path file = Files.write(dir.resolve("training.bin"), new byte[1024]);
      Path ca = Files.writeString(dir.resolve("ca.pem"), cert);
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      exit = Ecpds.run(new String[] {"-echost", "localhost", "-ecport", Integer.toString(port), "-cacert", ca.toString(),
          "-user", "training", "-destination", "TRAINING", "-source", file.toString(), "-metadata", "k=v"},
          InputStream.nullInputStream(), quiet, System.err, name -> "ECPDS_PASS".equals(name) ? "training" : null);
    } finally {
      server.stop(0);
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    }
    return exit;
  }

  private static long drain(HttpExchange x) throws IOException {
    try (InputStream in = x.getRequestBody()) {
      return in.transferTo(OutputStream.nullOutputStream());
    }
  }

  private static void answer(HttpExchange x, Map<String, Object> reply) throws IOException {
    if (!"PUT".equals(x.getRequestMethod())) drain(x);
    byte[] body = JsonReply.JSON.writeValueAsBytes(reply);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(200, body.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(body);
    }
  }
}
