package org.ecpds.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A private Apache httpd (mpm_event) on free loopback ports serving one directory with WebDAV
 * (mod_dav_fs: PUT, MKCOL, PROPFIND, MOVE with overwrite, DELETE), basic auth and a fancy
 * autoindex; HTTP on {@link #port()}, HTTPS on {@link #sslPort()} with a self-signed certificate.
 * Unlike nginx, a PUT into a missing directory is refused with 409 (MKCOL first). Workers run as
 * www-data. Needs root and apache2.
 */
public final class ApacheServer extends WebServer {
  private static final String MODULES = "/usr/lib/apache2/modules/";

  private ApacheServer(Path base, int port, int sslPort, String password) {
    super(base, port, sslPort, password, new ServerProcess("Apache httpd", base,
        List.of("/usr/sbin/apache2", "-f", base.resolve("httpd.conf").toString(), "-DFOREGROUND"),
        base.resolve("logs/apache.out"), port, sslPort)
        .deletingBeforeLaunch(base.resolve("run/httpd.pid"))); // a killed master leaves it behind
  }

  public static ApacheServer start() {
    Tools.require("/usr/sbin/apache2", "apache2");
    try {
      Path base = ServerProcess.baseDir("ecpds-apache");
      for (String d : List.of("logs", "run", "www", "davlock")) Files.createDirectories(base.resolve(d));
      WebServer.chown("www-data:www-data", base.resolve("www"), base.resolve("davlock"));
      WebServer.selfSigned(base);
      String password = WebServer.randomPassword();
      WebServer.htpasswd(base.resolve("htpasswd"), WebServer.USER, password);
      ApacheServer s = new ApacheServer(base, FreePorts.next(), FreePorts.next(), password);
      Files.writeString(base.resolve("httpd.conf"), s.config());
      Processes.run(base, List.of("/usr/sbin/apache2", "-t", "-f", base.resolve("httpd.conf").toString()));
      s.launch();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a private Apache httpd: " + e.getMessage(), e);
    }
  }

  private String config() {
    List<String> lines = new ArrayList<>();
    for (String m : List.of("mpm_event", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic", "mime",
        "dir", "autoindex", "dav", "dav_fs", "socache_shmcb", "ssl")) {
      lines.add("LoadModule " + m + "_module " + MODULES + "mod_" + m + ".so");
    }
    lines.addAll(List.of(
        "ServerRoot \"" + base + "\"",
        "ServerName localhost",
        "DefaultRuntimeDir \"" + base.resolve("run") + "\"",
        "PidFile \"" + base.resolve("run/httpd.pid") + "\"",
        "Mutex file:" + base.resolve("run") + " default",
        "ErrorLog \"" + base.resolve("logs/error.log") + "\"",
        "User www-data",
        "Group www-data",
        "Listen 127.0.0.1:" + port,
        "Listen 127.0.0.1:" + sslPort + " https",
        "TypesConfig /etc/mime.types",
        "DavLockDB \"" + base.resolve("davlock/DavLock") + "\"",
        "SSLSessionCache shmcb:" + base.resolve("run/ssl_scache") + "(512000)",
        "LimitRequestBody 0",
        "Timeout 60",
        "DocumentRoot \"" + root + "\"",
        "<Directory \"" + root + "\">",
        "  Dav On",
        "  Options Indexes",
        "  IndexOptions FancyIndexing NameWidth=* SuppressDescription",
        "  AuthType Basic",
        "  AuthName \"ecpds test\"",
        "  AuthUserFile \"" + base.resolve("htpasswd") + "\"",
        "  Require valid-user",
        "</Directory>",
        "<VirtualHost 127.0.0.1:" + sslPort + ">",
        "  SSLEngine on",
        "  SSLCertificateFile \"" + base.resolve("cert.pem") + "\"",
        "  SSLCertificateKeyFile \"" + base.resolve("key.pem") + "\"",
        "</VirtualHost>",
        ""));
    return String.join("\n", lines);
  }
}
