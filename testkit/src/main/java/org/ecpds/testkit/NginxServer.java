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
public final class NginxServer extends WebServer {
  private static final String DAV_EXT = "/usr/lib/nginx/modules/ngx_http_dav_ext_module.so";

  private final int jsonPort;

  private NginxServer(Path base, int port, int sslPort, int jsonPort, String password) {
    super(base, port, sslPort, password, new ServerProcess("nginx", base, List.of("/usr/sbin/nginx", "-p",
        base.toString(), "-e", base.resolve("logs/error.log").toString(), "-c", base.resolve("nginx.conf").toString()),
        base.resolve("logs/nginx.out"), port, sslPort, jsonPort));
    this.jsonPort = jsonPort;
  }

  public static NginxServer start() {
    Tools.require("/usr/sbin/nginx", "nginx");
    if (!Files.exists(Path.of(DAV_EXT))) { // a module, not a program: Tools.require wants it executable
      throw new IllegalStateException("nginx WebDAV module " + DAV_EXT + " is missing; install it with: "
          + "apt-get update && apt-get install -y libnginx-mod-http-dav-ext");
    }
    try {
      Path base = ServerProcess.baseDir("ecpds-nginx");
      for (String d : List.of("logs", "www", "tmp")) Files.createDirectories(base.resolve(d));
      WebServer.chown("nobody:nogroup", base.resolve("www"), base.resolve("tmp"));
      WebServer.selfSigned(base);
      String password = WebServer.randomPassword();
      WebServer.htpasswd(base.resolve("htpasswd"), WebServer.USER, password);
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

  public int jsonPort() {
    return jsonPort;
  }
}
