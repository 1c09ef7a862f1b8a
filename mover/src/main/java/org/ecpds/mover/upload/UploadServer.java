package org.ecpds.mover.upload;

import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.mover.link.StoredReporter;
import org.ecpds.mover.peer.PeerReadHandler;
import org.ecpds.mover.store.DataStore;

/**
 * The mover's HTTPS endpoint for CLI pushes ({@code PUT /upload/{id}}), other movers' reads of stored
 * content ({@code GET /data/{id}}, see {@link PeerReadHandler}) and {@code GET /health}.
 * HTTPS only: there is deliberately no plain-text connector.
 */
public final class UploadServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final TlsMaterial tls;

  /**
   * @param port 0 for an ephemeral port (see {@link #port()})
   * @param ackTimeout how long an upload waits for the master's StoredAck
   * @param moverName recorded in event lines
   */
  public UploadServer(String bindHost, int port, TlsMaterial tls, DataStore store, UploadTokens tokens,
      StoredReporter reporter, Duration ackTimeout, String moverName) {
    this(bindHost, port, tls, store, tokens, reporter, ackTimeout, moverName,
        new LoginGuard(LoginGuard.DEFAULTS, Clock.systemUTC()), null);
  }

  public UploadServer(String bindHost, int port, TlsMaterial tls, DataStore store, UploadTokens tokens,
      StoredReporter reporter, Duration ackTimeout, String moverName, LoginGuard guard) {
    this(bindHost, port, tls, store, tokens, reporter, ackTimeout, moverName, guard, null);
  }

  /**
   * @param guard audits refused upload tokens and slows down an address that keeps sending them
   * @param peerTokens verifies other movers' reads of stored content ({@code GET /data/{id}}); null: no peer reads
   */
  public UploadServer(String bindHost, int port, TlsMaterial tls, DataStore store, UploadTokens tokens,
      StoredReporter reporter, Duration ackTimeout, String moverName, LoginGuard guard, UploadTokens peerTokens) {
    this.tls = tls;
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("upload");
    server = new Server(threads);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.serverContext());
    HttpConfiguration http = org.ecpds.common.jetty.JettyHttp.configuration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // clients address movers by IP as often as by name; the certificate lists both
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    http.setSendServerVersion(false);
    connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(bindHost);
    connector.setPort(port);
    // a slow client pausing mid-upload of a large file should not be cut at Jetty's 30 s default
    connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
    server.addConnector(connector);
    Handler uploads = new UploadHandler(store, tokens, reporter, ackTimeout, moverName, guard);
    // peer reads first: they answer /data/ only and pass everything else on
    server.setHandler(peerTokens == null ? uploads
        : new Handler.Sequence(new PeerReadHandler(store, peerTokens), uploads));
    server.setStopTimeout(5_000);
  }

  /** Serves /metrics beside the uploads for a scraper with the token (before {@link #start}). */
  public void serveMetrics(io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry, String token) {
    server.setHandler(new org.ecpds.common.metrics.MetricsEndpoint(server.getHandler(), registry, token));
  }

  public void start() throws Exception {
    server.start();
  }

  /** The bound port (the actual one when configured with 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** The URL advertised to the master for a given host name or address. */
  public String url(String advertisedHost) {
    return "https://" + advertisedHost + ":" + port();
  }

  public String certificatePem() {
    return tls.certificatePem();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
