package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * What the private nginx and Apache instances share: a server process in a temp dir with HTTP on
 * {@link #port()} and HTTPS on {@link #sslPort()} (self-signed certificate), one basic-auth user
 * (htpasswd) and the served directory {@link #root()}.
 */
abstract class WebServer implements AutoCloseable {
  static final String USER = "ecpdsweb";

  final Path base;
  final Path root;
  final int port;
  final int sslPort;
  private final String password;
  private final ServerProcess server;

  WebServer(Path base, int port, int sslPort, String password, ServerProcess server) {
    this.base = base;
    this.root = base.resolve("www");
    this.port = port;
    this.sslPort = sslPort;
    this.password = password;
    this.server = server;
  }

  public int port() {
    return port;
  }

  public int sslPort() {
    return sslPort;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  /** The served directory: URL path /x is root()/x. */
  public Path root() {
    return root;
  }

  public String certificatePem() {
    try {
      return Files.readString(base.resolve("cert.pem"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path errorLog() {
    return base.resolve("logs/error.log");
  }

  /** Kills the master and its workers (live transfers drop); the files stay until close(). */
  public void stop() {
    server.stop();
  }

  /** Starts again after stop(), same ports and files. */
  public void restart() {
    server.restart();
  }

  @Override
  public void close() {
    server.close();
  }

  void launch() throws IOException {
    server.start();
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
}
