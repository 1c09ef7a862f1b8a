package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A private nginx on free loopback ports, serving one directory with basic auth (htpasswd), PUT,
 * DELETE, MKCOL, COPY, MOVE ({@code create_full_put_path on}: PUT creates missing parents),
 * PROPFIND (libnginx-mod-http-dav-ext) and autoindex:
 * <ul>
 *   <li>{@link #port()}: HTTP, HTML autoindex (exact sizes, GMT dates)</li>
 *   <li>{@link #sslPort()}: HTTPS with a self-signed certificate ({@link #certificatePem()})</li>
 *   <li>{@link #jsonPort()}: HTTP, {@code autoindex_format json}</li>
 * </ul>
 * A PUT body is spooled to a temp file inside the base dir and renamed into place when complete,
 * so a reader never sees a partial file. Workers run as nobody. Needs root, nginx and
 * libnginx-mod-http-dav-ext.
 */
public final class NginxServer implements AutoCloseable {
  private static final String DAV_EXT = "/usr/lib/nginx/modules/ngx_http_dav_ext_module.so";

  private final Path base;
  private final Path root;
  private final int port;
  private final int sslPort;
  private final int jsonPort;
  private final String password;
  private Process process;

  private NginxServer(Path base, int port, int sslPort, int jsonPort, String password) {
    this.base = base;
    this.root = base.resolve("www");
    this.port = port;
    this.sslPort = sslPort;
    this.jsonPort = jsonPort;
    this.password = password;
  }

  public static NginxServer start() {
    Tools.require("/usr/sbin/nginx", "nginx");
    if (!Files.exists(Path.of(DAV_EXT))) { // a module, not a program: Tools.require wants it executable
      throw new IllegalStateException("nginx WebDAV module " + DAV_EXT + " is missing; install it with: "
          + "apt-get update && apt-get install -y libnginx-mod-http-dav-ext");
    }
    try {
      Path base = WebServers.baseDir("ecpds-nginx");
      for (String d : List.of("logs", "www", "tmp")) Files.createDirectories(base.resolve(d));
      WebServers.chown("nobody:nogroup", base.resolve("www"), base.resolve("tmp"));
      WebServers.selfSigned(base);
      String password = WebServers.randomPassword();
      WebServers.htpasswd(base.resolve("htpasswd"), WebServers.USER, password);
      NginxServer s = new NginxServer(base, FreePorts.next(), FreePorts.next(), FreePorts.next(), password);
      Files.writeString(base.resolve("nginx.conf"), s.config());
      Processes.run(base, List.of("/usr/sbin/nginx", "-t", "-q", "-p", base.toString(),
          "-e", base.resolve("logs/error.log").toString(), "-c", base.resolve("nginx.conf").toString()));
      s.launch();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private nginx: " + e.getMessage(), e);
    }
  }

  private String config() {
    String location = String.join("\n",
        "    root " + root + ";",
        "    location / {",
        "      dav_methods PUT DELETE MKCOL COPY MOVE;",
        "      dav_ext_methods PROPFIND OPTIONS;",
        "      create_full_put_path on;",
        "      dav_access user:rw group:rw all:r;",
        "      auth_basic \"ecpds test\";",
        "      auth_basic_user_file " + base.resolve("htpasswd") + ";",
        "      autoindex on;",
        "      autoindex_exact_size on;",
        "      autoindex_localtime off;");
    return String.join("\n",
        "daemon off;",
        "worker_processes 1;",
        "user nobody nogroup;",
        "pid " + base.resolve("nginx.pid") + ";",
        "error_log " + base.resolve("logs/error.log") + " info;",
        "load_module " + DAV_EXT + ";",
        "events { worker_connections 512; }",
        "http {",
        "  include /etc/nginx/mime.types;",
        "  access_log " + base.resolve("logs/access.log") + ";",
        "  client_body_temp_path " + base.resolve("tmp/body") + ";",
        "  proxy_temp_path " + base.resolve("tmp/proxy") + ";",
        "  fastcgi_temp_path " + base.resolve("tmp/fastcgi") + ";",
        "  uwsgi_temp_path " + base.resolve("tmp/uwsgi") + ";",
        "  scgi_temp_path " + base.resolve("tmp/scgi") + ";",
        "  client_max_body_size 0;",
        "  sendfile on;",
        "  server {",
        "    listen 127.0.0.1:" + port + ";",
        "    listen 127.0.0.1:" + sslPort + " ssl;",
        "    ssl_certificate " + base.resolve("cert.pem") + ";",
        "    ssl_certificate_key " + base.resolve("key.pem") + ";",
        location,
        "    }",
        "  }",
        "  server {",
        "    listen 127.0.0.1:" + jsonPort + ";",
        location,
        "      autoindex_format json;",
        "    }",
        "  }",
        "}",
        "");
  }

  private void launch() throws IOException {
    process = WebServers.launch(List.of("/usr/sbin/nginx", "-p", base.toString(), "-e",
        base.resolve("logs/error.log").toString(), "-c", base.resolve("nginx.conf").toString()),
        base.resolve("logs/nginx.out"), port, sslPort, jsonPort);
  }

  public int port() {
    return port;
  }

  public int sslPort() {
    return sslPort;
  }

  public int jsonPort() {
    return jsonPort;
  }

  public String user() {
    return WebServers.USER;
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

  /** Kills master and worker (live transfers drop); the files stay until close(). */
  public void stop() {
    WebServers.kill(process);
    process = null;
  }

  /** Starts again after stop(), same ports and files. */
  public void restart() {
    try {
      if (process == null) launch();
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart nginx: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    stop();
    Processes.deleteTree(base);
  }
}
