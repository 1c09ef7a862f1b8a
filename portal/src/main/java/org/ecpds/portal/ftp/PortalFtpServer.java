package org.ecpds.portal.ftp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfiguration;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.impl.FtpIoSession;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.PortalLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's FTP server (Apache FtpServer): explicit FTPS (AUTH TLS required, PROT P required),
 * implicit FTPS on its own port, and plain FTP only when configured. Users log in through
 * {@link PortalLogin} and see the portal file system; nothing here decides permissions.
 */
public final class PortalFtpServer implements AutoCloseable {
  public static final String PROTOCOL_FTP = "ftp";
  public static final String PROTOCOL_FTPS = "ftps";
  private static final Logger LOG = LoggerFactory.getLogger(PortalFtpServer.class);

  private final PortalLogin login;
  private final FtpPortalSettings settings;
  private final TlsMaterial tls;
  private final String moverName;
  private ScheduledExecutorService timer;
  /** Portal sessions logged in and not yet released (see {@link #close}). */
  private final Set<PortalFileSystemView> openViews = ConcurrentHashMap.newKeySet();
  private FtpServer server;
  private Listener ftp;
  private Listener ftps;
  private Listener implicit;

  public PortalFtpServer(PortalLogin login, FtpPortalSettings settings, TlsMaterial tls, String moverName) {
    this.login = Objects.requireNonNull(login, "login");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tls = Objects.requireNonNull(tls, "tls");
    this.moverName = moverName == null ? "" : moverName;
  }

  public synchronized void start() throws FtpException {
    if (server != null) throw new IllegalStateException("already started");
    TlsMaterialSslConfiguration ssl = TlsMaterialSslConfiguration.control(tls);
    DataConnectionConfiguration data = dataConnections(ssl.forData());
    Map<String, Listener> listeners = new LinkedHashMap<>();
    Set<Listener> tlsOnly = ConcurrentHashMap.newKeySet();
    if (settings.ftpPort() >= 0) {
      ftp = listener(settings.ftpPort(), ssl, false, data); // AUTH TLS offered, not required
      listeners.put("ftp", ftp);
    }
    if (settings.ftpsPort() >= 0) {
      ftps = listener(settings.ftpsPort(), ssl, false, data);
      listeners.put("ftps", ftps);
      tlsOnly.add(ftps);
    }
    if (settings.implicitPort() >= 0) {
      implicit = listener(settings.implicitPort(), ssl, true, new ImplicitTlsData(data));
      listeners.put("ftps-implicit", implicit);
      tlsOnly.add(implicit);
    }
    if (!settings.enabled()) throw new IllegalStateException("every FTP listener is turned off");

    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "portal-ftp-refusals-" + moverName);
      t.setDaemon(true);
      return t;
    });
    FtpServerFactory factory = new FtpServerFactory();
    factory.setListeners(listeners);
    factory.setUserManager(new RefusingUserManager());
    factory.setFileSystem(user -> {
      PortalFileSystemView view = new PortalFileSystemView(((PortalFtpUser) user).fs(), openViews::remove);
      openViews.add(view);
      return view;
    });
    factory.setCommandFactory(new PortalCommandFactory(login, settings, timer, tlsOnly));
    factory.setFtplets(new LinkedHashMap<>(Map.of("connectionsPerAddress", new ConnectionsPerAddress(settings.maxConnectionsPerAddress()))));
    ConnectionConfigFactory connections = new ConnectionConfigFactory();
    connections.setAnonymousLoginEnabled(false);
    connections.setMaxAnonymousLogins(0);
    connections.setMaxLogins(settings.maxLogins());
    connections.setMaxLoginFailures(settings.maxLoginFailures());
    connections.setLoginFailureDelay(0); // the portal's PASS delays refusals without a sleeping thread
    factory.setConnectionConfig(connections.createConnectionConfig());
    server = factory.createServer();
    try {
      server.start();
    } catch (FtpException | RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("portal FTP on mover {}: ftps {} implicit ftps {} ftp {} passive {}", moverName, port(), implicitPort(),
        ftpPort(), settings.passivePorts());
  }

  private DataConnectionConfiguration dataConnections(SslConfiguration ssl) {
    DataConnectionConfigurationFactory d = new DataConnectionConfigurationFactory();
    d.setPassivePorts(settings.passivePorts());
    if (settings.passiveAddress() != null) d.setPassiveExternalAddress(settings.passiveAddress());
    d.setPassiveIpCheck(true); // the data connection must come from the control connection's address
    d.setActiveEnabled(true);
    d.setActiveIpCheck(true);  // PORT may only point back at the client (no FTP bounce)
    d.setIdleTime((int) Math.max(1, settings.dataIdleTimeout().toSeconds()));
    d.setSslConfiguration(ssl);
    return d.createDataConnectionConfiguration();
  }

  private Listener listener(int port, SslConfiguration ssl, boolean implicitTls, DataConnectionConfiguration data) {
    ListenerFactory f = new ListenerFactory();
    if (settings.bindAddress() != null) f.setServerAddress(settings.bindAddress());
    f.setPort(port);
    f.setSslConfiguration(ssl);
    f.setImplicitSsl(implicitTls);
    f.setIdleTimeout((int) Math.max(1, settings.idleTimeout().toSeconds()));
    f.setDataConnectionConfiguration(data);
    return f.createListener();
  }

  /** The explicit-FTPS port (the main one); -1 when off. */
  public synchronized int port() {
    return ftps == null ? -1 : ftps.getPort();
  }

  public synchronized int implicitPort() {
    return implicit == null ? -1 : implicit.getPort();
  }

  /** The plain-FTP port; -1 when off (the default). */
  public synchronized int ftpPort() {
    return ftp == null ? -1 : ftp.getPort();
  }

  /**
   * Closes the sessions first, so that FtpServer still runs their close events (which release each
   * portal session) before it stops its command threads; then stops the listeners. A session whose
   * close event was still queued when the threads stopped (a client that had just sent QUIT) is
   * released here: FtpServer would never run it.
   */
  @Override
  public synchronized void close() {
    if (server != null) {
      for (Listener l : new Listener[] {ftp, ftps, implicit}) {
        if (l == null || l.isStopped()) continue;
        l.suspend(); // no new connections while the open ones are closed
        for (FtpIoSession session : l.getActiveSessions()) session.closeNow().awaitUninterruptibly(2_000);
      }
      server.stop();
      server = null;
      for (PortalFileSystemView v : List.copyOf(openViews)) v.dispose();
    }
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
