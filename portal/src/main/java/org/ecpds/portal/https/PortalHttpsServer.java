package org.ecpds.portal.https;

import java.time.Duration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.PortalLogin;
import org.ecpds.portal.webdav.WebDav;

/**
 * The Data Portal's HTTPS listener: plain HTTPS downloads and uploads, and WebDAV (class 1 and 2) on
 * the same URLs. TLS only; there is no plain-text connector.
 */
public final class PortalHttpsServer implements AutoCloseable {
  /** The proposed default for {@code portal.https.port}. */
  public static final int DEFAULT_PORT = 4444;
  /** Jetty's own default: request line plus headers. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 8192;

  private final Server server;
  private final ServerConnector connector;
  private final HttpConfiguration http;
  private final PortalHttpHandler handler;
  /** The default of {@code portal.https.listingPageSize}. */
  public static final int DEFAULT_LISTING_PAGE_SIZE = DirectoryListing.DEFAULT_PAGE_SIZE;

  public PortalHttpsServer(PortalLogin login, String bind, int port, TlsMaterial tls, String moverName) {
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("portal-https");
    server = new Server(threads);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.serverContext());
    http = org.ecpds.common.jetty.JettyHttp.configuration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // users reach movers by address as often as by name; the certificate lists both
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    // large writes straight to the TLS engine; Jetty's aggregation would only copy them
    http.setOutputBufferSize(64 * 1024);
    connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost(bind);
    connector.setPort(port);
    connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
    server.addConnector(connector);
    handler = new PortalHttpHandler(login, moverName, new WebDav());
    server.setHandler(handler);
    server.setErrorHandler(new org.ecpds.portal.RefusedRequests("https", moverName));
    server.setStopTimeout(5_000);
  }

  /** The largest request line plus headers (portal.https.maxHeaderBytes); a larger request gets 431. Before start. */
  public PortalHttpsServer maxHeaderBytes(int bytes) {
    http.setRequestHeaderSize(bytes);
    return this;
  }

  /** The most entries one page of a directory listing holds (portal.https.listingPageSize). Before start. */
  public PortalHttpsServer listingPageSize(int entries) {
    handler.listingPageSize(entries);
    return this;
  }

  public void start() throws Exception {
    server.start();
  }

  /** The bound port (the actual one when configured with 0). */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
