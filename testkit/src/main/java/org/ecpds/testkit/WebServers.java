package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/** What the private nginx and Apache instances share: temp dir, self-signed cert, htpasswd, kill. */
final class WebServers {
  static final String USER = "ecpdsweb";

  private WebServers() {}

  /** A 0755 temp dir: the servers' workers (nobody, www-data) must traverse it. */
  static Path baseDir(String prefix) throws IOException {
    Path base = Files.createTempDirectory(prefix);
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    return base;
  }

  static String randomPassword() {
    return "Web-" + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 10);
  }

  /** cert.pem + key.pem for localhost and 127.0.0.1 (RSA, 30 days). */
  static void selfSigned(Path dir) {
    Path openssl = Tools.require("openssl", "openssl");
    Processes.run(dir, List.of(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()));
  }

  /** An htpasswd file with one apr1 (MD5) entry: both nginx and Apache accept it. */
  static void htpasswd(Path file, String user, String password) throws IOException {
    String hash = Processes.run(null, List.of("openssl", "passwd", "-apr1", "-stdin"), password + "\n").trim();
    Files.writeString(file, user + ":" + hash + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
  }

  static void chown(String owner, Path... paths) {
    for (Path p : paths) Processes.run(null, List.of("chown", owner, p.toString()));
  }

  static Process launch(List<String> command, Path log, int... ports) throws IOException {
    Process p = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      for (int port : ports) FreePorts.awaitListening(port, Duration.ofSeconds(20));
    } catch (IllegalStateException e) {
      kill(p);
      throw new IllegalStateException(e.getMessage() + "; see " + log, e);
    }
    return p;
  }

  /** SIGKILL to the master and its workers: live connections drop at once, like a host going down. */
  static void kill(Process p) {
    if (p == null) return;
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      p.waitFor();
      for (ProcessHandle c : children) c.onExit().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException ignored) {
      // the worker is gone either way
    }
  }
}
