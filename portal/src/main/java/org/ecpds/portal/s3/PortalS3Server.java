package org.ecpds.portal.s3;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.http.UriCompliance;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's S3 API: HTTPS only, path-style requests (https://host:port/bucket/key) at the root of
 * its own port — s3cmd signs wrongly below a path prefix. Buckets are the user's destinations.
 */
public final class PortalS3Server implements AutoCloseable {
  /** Next to the portal SFTP port 4022 and clear of 4443 (mover uploads), 2640/2641 (master), 3443 (monitor). */
  public static final int DEFAULT_PORT = 4043;
  public static final String DEFAULT_REGION = "us-east-1";
  /** Bytes all unfinished multipart uploads may hold together in the parts directory. */
  public static final long DEFAULT_MAX_PART_BYTES = 20L * 1024 * 1024 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(PortalS3Server.class);
  /** Jetty's own default: request line plus headers; a larger request gets 431. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 8192;

  private final PortalLogin login;
  private final String bind;
  private final int port;
  private final TlsMaterial tls;
  private final String moverName;
  private final String region;
  private final Clock clock;
  private final Path partsDir;
  private final long maxPartBytes;
  private Server server;
  private ServerConnector connector;
  private MultipartStore multipart;
  private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;

  /** Parts of multipart uploads go below java.io.tmpdir; see the full constructor. */
  public PortalS3Server(PortalLogin login, String bind, int port, TlsMaterial tls, String moverName, String region) {
    this(login, bind, port, tls, moverName, region, Path.of(System.getProperty("java.io.tmpdir"), "ecpds-portal-s3"),
        DEFAULT_MAX_PART_BYTES, Clock.systemUTC());
  }

  /**
   * @param bind address to bind; null or empty binds every interface
   * @param port 0 picks a free one (see {@link #port()})
   * @param region what GetBucketLocation answers; requests signed for any region are accepted
   * @param partsDir where parts of multipart uploads wait (a sub-directory "s3-multipart" is used and emptied at start)
   * @param maxPartBytes bound on the bytes all waiting parts hold together
   * @param clock checks the request dates (15 minutes of skew at most) and presigned URL expiry
   */
  public PortalS3Server(PortalLogin login, String bind, int port, TlsMaterial tls, String moverName, String region,
      Path partsDir, long maxPartBytes, Clock clock) {
    this.login = Objects.requireNonNull(login, "login");
    this.bind = bind == null || bind.isBlank() ? null : bind;
    this.port = port;
    this.tls = Objects.requireNonNull(tls, "tls");
    this.moverName = moverName == null ? "" : moverName;
    this.region = region == null || region.isBlank() ? DEFAULT_REGION : region;
    this.partsDir = Objects.requireNonNull(partsDir, "partsDir");
    this.maxPartBytes = maxPartBytes;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The largest request line plus headers (portal.s3.maxHeaderBytes). Before start. */
  public PortalS3Server maxHeaderBytes(int bytes) {
    this.maxHeaderBytes = bytes;
    return this;
  }

  public synchronized void start() throws Exception {
    if (server != null) throw new IllegalStateException("already started");
    multipart = new MultipartStore(partsDir, maxPartBytes, clock);
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("portal-s3");
    Server s = new Server(threads);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setSslContext(tls.serverContext());
    HttpConfiguration http = org.ecpds.common.jetty.JettyHttp.configuration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // clients reach movers by address as often as by name
    http.addCustomizer(secure);
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    // keys are the client's business: let "..", "%2F" and "//" through to ObjectKeys, which refuses what cannot be stored
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.setRequestHeaderSize(maxHeaderBytes);
    ServerConnector c = new ServerConnector(s, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    c.setHost(bind);
    c.setPort(port);
    c.setIdleTimeout(Duration.ofMinutes(5).toMillis()); // a multipart completion copies gigabytes before replying
    s.addConnector(c);
    s.setHandler(new S3Handler(login, clock, multipart, region));
    s.setErrorHandler(new org.ecpds.portal.RefusedRequests("s3", moverName));
    s.setStopTimeout(5_000);
    s.start();
    server = s;
    connector = c;
    LOG.info("portal S3 listening on https://{}:{} (mover {}, region {})", bind == null ? "*" : bind, port(), moverName, region);
  }

  /** The port actually bound (useful when constructed with 0). */
  public synchronized int port() {
    if (connector == null) throw new IllegalStateException("not started");
    return connector.getLocalPort();
  }

  @Override
  public synchronized void close() throws IOException {
    if (server == null) return;
    try {
      server.stop();
    } catch (Exception e) {
      throw new IOException("cannot stop the S3 server", e);
    } finally {
      multipart.close();
      server = null;
      connector = null;
    }
  }
}
