package org.ecpds.monitor;

import io.grpc.Channel;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.monitor.web.WebApp;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' web UI: server-rendered HTML over HTTPS only, reading and acting on the master
 * through its gRPC AdminService. There is deliberately no plain-HTTP connector: the TLS port
 * only completes TLS handshakes, so a plain request never reaches a page.
 */
public final class MonitorServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 3443;
  private static final Logger LOG = LoggerFactory.getLogger(MonitorServer.class);
  /** How long one page waits for the master before showing the error banner. */
  private static final Duration MASTER_DEADLINE = Duration.ofSeconds(5);

  private final Server server;
  private final ServerConnector connector;
  private final String host;

  /**
   * @param master channel to the master (TLS or in-process); the AdminService stub is built on it
   * @param clusterSecret sent with every call, checked by the master's ClusterAuth interceptor
   * @param host interface to bind; null or blank binds all interfaces
   * @param port TCP port; 0 picks a free one (see {@link #port()})
   * @param tls the listener's key and certificate
   */
  public MonitorServer(Channel master, String clusterSecret, String host, int port, TlsMaterial tls) {
    this(master, clusterSecret, host, port, tls, new LoginGuard(LoginGuard.DEFAULTS, Clock.systemUTC()));
  }

  /** @param loginGuard slows down repeated failed logins and writes their DEA lines */
  public MonitorServer(Channel master, String clusterSecret, String host, int port, TlsMaterial tls,
      LoginGuard loginGuard) {
    Objects.requireNonNull(master, "master");
    Objects.requireNonNull(clusterSecret, "clusterSecret");
    Objects.requireNonNull(tls, "tls");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    this.host = host == null || host.isBlank() ? null : host;

    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("monitor-http");
    server = new Server(threads);
    server.setStopTimeout(2_000);

    connector = new ServerConnector(server,
        new SslConnectionFactory(sslFactory(tls), HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(httpConfiguration()));
    connector.setHost(this.host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new WebApp(master, clusterSecret, MASTER_DEADLINE, loginGuard).handler());
  }

  private static SslContextFactory.Server sslFactory(TlsMaterial tls) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(tls.keyStore());
    ssl.setKeyStorePassword(new String(TlsMaterial.STORE_PASSWORD));
    ssl.setKeyManagerPassword(new String(TlsMaterial.STORE_PASSWORD));
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    return ssl;
  }

  private static HttpConfiguration httpConfiguration() {
    HttpConfiguration config = org.ecpds.common.jetty.JettyHttp.configuration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    config.setSecureScheme("https");
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Operators reach the monitor under names the (often self-signed) certificate may not list;
    // validating the certificate is the browser's job, not a reason to answer 400.
    secure.setSniHostCheck(false);
    config.addCustomizer(secure);
    return config;
  }

  public synchronized void start() {
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // already failing; the start error is the one worth reporting
      }
      throw new IllegalStateException("cannot start the monitor on " + (host == null ? "*" : host) + ":"
          + connector.getPort() + ": " + e.getMessage(), e);
    }
    LOG.info("monitor listening on https://{}:{}/", host == null ? "0.0.0.0" : host, port());
  }

  /** The bound port (the actual one when constructed with 0), or -1 before start. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public synchronized void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("monitor did not stop cleanly: {}", e.toString());
    }
  }
}
