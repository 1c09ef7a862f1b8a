package org.ecpds.portal.sftp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.fs.MoverPortal;
import org.ecpds.portal.fs.PortalLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's SSH server: password and public-key logins through a {@link PortalLogin}, then the SFTP
 * subsystem and scp (legacy "scp -t/-f" exec; OpenSSH's default scp uses SFTP) over the user's portal
 * file system. No shell, no other command, no forwarding or agent.
 */
public final class PortalSftpServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 4022;
  public static final String PROTOCOL = "sftp";
  static final String HOST_KEY_FILE = "portal-sftp-hostkey-ec";
  private static final Logger LOG = LoggerFactory.getLogger(PortalSftpServer.class);
  /** Larger than MINA's default so that one session can keep a fast link busy. */
  private static final long WINDOW_SIZE = 8L * 1024 * 1024;

  /**
   * AES only, hardware-accelerated through the JCE; MINA's ChaCha20-Poly1305 is pure Java and would cap
   * a download at a fraction of the link speed. Every OpenSSH since 6.2 offers these.
   */
  private static final List<NamedFactory<Cipher>> CIPHERS = List.of(BuiltinCiphers.aes128gcm,
      BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr);

  private final PortalLogin login;
  private final String host;
  private final int port;
  private final Path hostKeyDir;
  private final String moverName;
  /** Completes delayed refusals (see PortalPasswordAuthenticator); one thread however many are pending. */
  private ScheduledExecutorService authTimer;
  private SshServer server;

  /**
   * @param login      where users log in and get their portal file system
   * @param host       address to bind; null or empty binds every interface
   * @param port       port to listen on; 0 picks a free one (see {@link #port()})
   * @param hostKeyDir where the host key lives; generated on first start and reused afterwards
   */
  public PortalSftpServer(PortalLogin login, String host, int port, Path hostKeyDir, String moverName) {
    this.login = Objects.requireNonNull(login, "login");
    this.host = host == null || host.isBlank() ? null : host;
    this.port = port;
    this.hostKeyDir = Objects.requireNonNull(hostKeyDir, "hostKeyDir");
    this.moverName = moverName == null ? "" : moverName;
  }

  /** A read-only portal straight over a backend (no data store, no uploads). */
  public PortalSftpServer(PortalBackend backend, String host, int port, Path hostKeyDir, String moverName) {
    this(backend, host, port, hostKeyDir, moverName, new LoginGuard(LoginGuard.DEFAULTS, Clock.systemUTC()));
  }

  /** As above; {@code loginGuard} audits refused logins and slows down repeated failures. */
  public PortalSftpServer(PortalBackend backend, String host, int port, Path hostKeyDir, String moverName,
      LoginGuard loginGuard) {
    this(new MoverPortal(backend, null, null, loginGuard, moverName, MoverPortal.Settings.DEFAULTS), host, port,
        hostKeyDir, moverName);
  }

  public synchronized void start() throws IOException {
    if (server != null) throw new IllegalStateException("already started");
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost(host);
    sshd.setPort(port);
    sshd.setKeyPairProvider(hostKeys());
    authTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "portal-sftp-auth-delay");
      t.setDaemon(true);
      return t;
    });
    sshd.setPasswordAuthenticator(new PortalPasswordAuthenticator(login, authTimer));
    sshd.setPublickeyAuthenticator(new PortalPublickeyAuthenticator(login));
    sshd.addSessionListener(new SshLogins());
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setHostBasedAuthenticator(null);
    sshd.setShellFactory(null);
    PortalFileSystemFactory files = new PortalFileSystemFactory();
    ScpOverPortal scp = new ScpOverPortal(files);
    scp.setScpFileOpener(new PortalScpFileOpener());
    scp.setDelegateCommandFactory(RefusedCommand.FACTORY);
    sshd.setCommandFactory(scp);
    sshd.setAgentFactory(null);
    sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
    sshd.setFileSystemFactory(files);
    SftpSubsystemFactory.Builder sftp = new SftpSubsystemFactory.Builder().withFileSystemAccessor(new PortalSftpAccessor());
    sftp.addSftpEventListener(new AbandonedUploads());
    sshd.setSubsystemFactories(List.of(sftp.build()));
    sshd.setCipherFactories(CIPHERS);
    CoreModuleProperties.WINDOW_SIZE.set(sshd, WINDOW_SIZE);
    sshd.start();
    server = sshd;
    new CipherWarmup(sshd.getCipherFactories(), sshd.getMacFactories(), CipherWarmup.PACKETS).startInBackground();
    LOG.info("portal SFTP/scp of {} listening on {}:{}", moverName, host == null ? "*" : host, port());
  }

  /** The port actually bound (useful when constructed with port 0). */
  public synchronized int port() {
    if (server == null) throw new IllegalStateException("not started");
    for (SocketAddress a : server.getBoundAddresses()) {
      if (a instanceof InetSocketAddress inet) return inet.getPort();
    }
    return server.getPort();
  }

  @Override
  public synchronized void close() throws IOException {
    if (server == null) return;
    try {
      server.stop(true);
    } finally {
      server = null;
      authTimer.shutdownNow();
    }
  }

  private KeyPairProvider hostKeys() throws IOException {
    Files.createDirectories(hostKeyDir);
    Path keyFile = hostKeyDir.resolve(HOST_KEY_FILE);
    SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(keyFile);
    provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
    provider.setKeySize(256);
    provider.loadKeys(null); // generate (or read) now: a broken key directory must fail start(), not logins
    restrictPermissions(keyFile);
    return provider;
  }

  private static void restrictPermissions(Path keyFile) {
    try {
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      LOG.warn("cannot restrict permissions of host key {}: {}", keyFile, e.toString());
    }
  }
}
