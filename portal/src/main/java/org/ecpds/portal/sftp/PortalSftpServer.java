package org.ecpds.portal.sftp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.mover.transfer.ssh.SshRekeyPolicy;
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
  /** OpenSSH sftp-server's read limit (SFTP_MAX_MSG_LENGTH minus room for the header). */
  static final int MAX_READ_LENGTH = 255 * 1024;
  /**
   * What legacy scp copies per read and write (MINA's default: 8 KiB). An upload then reaches the store
   * in writes as large as what the channel has buffered, not in 131,072 writes per GiB.
   */
  static final int SCP_BUFFER_SIZE = 256 * 1024;

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
  /** The mover's default for {@code portal.sftp.warmupMiB} (MiB downloaded at start, see {@link SftpWarmup}). */
  public static final int DEFAULT_WARMUP_MIB = 512;
  private long warmupBytes;
  private UploadWarmup uploader;
  private long uploadWarmupBytes;
  /** Completes when the start-up warm-up (ciphers, then the SFTP session if configured) has ended. */
  private final CompletableFuture<Long> warmedUp = new CompletableFuture<>();
  private final CompletableFuture<Long> uploadWarmedUp = new CompletableFuture<>();
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

  /**
   * Downloads {@code bytes} of a synthetic file through this listener right after start (0, the
   * default: only the ciphers are warmed). Before start.
   */
  public synchronized PortalSftpServer warmup(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("warm-up bytes must not be negative");
    warmupBytes = bytes;
    return this;
  }

  /**
   * Before the download warm-up (or instead of it when that is off), {@code uploader} uploads {@code bytes}
   * through this listener (see {@link UploadWarmup}); 0 turns it off. Before start.
   */
  public synchronized PortalSftpServer warmupUploads(UploadWarmup uploader, long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("warm-up bytes must not be negative");
    this.uploader = uploader;
    uploadWarmupBytes = bytes;
    return this;
  }

  /** Bytes the start-up SFTP warm-up downloaded, once it has ended (0 when off or failed). */
  CompletableFuture<Long> warmedUp() {
    return warmedUp;
  }

  /** Bytes this listener received from the start-up upload warm-up, once it has ended (0 when off or failed). */
  public CompletableFuture<Long> uploadWarmedUp() {
    return uploadWarmedUp;
  }

  public synchronized void start() throws IOException {
    if (server != null) throw new IllegalStateException("already started");
    SshServer sshd = SshServer.setUpDefaultServer();
    sshd.setHost(host);
    sshd.setPort(port);
    KeyPairProvider hostKeys = hostKeys();
    sshd.setKeyPairProvider(hostKeys);
    authTimer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "portal-sftp-auth-delay");
      t.setDaemon(true);
      return t;
    });
    SftpWarmup warmup = warmupBytes > 0 || (uploader != null && uploadWarmupBytes > 0)
        ? new SftpWarmup(login, warmupBytes).withUpload(uploader, uploadWarmupBytes) : null;
    PortalLogin logins = warmup == null ? login : warmup;
    sshd.setPasswordAuthenticator(new PortalPasswordAuthenticator(logins, authTimer));
    sshd.setPublickeyAuthenticator(new PortalPublickeyAuthenticator(logins));
    sshd.addSessionListener(new SshLogins());
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setHostBasedAuthenticator(null);
    sshd.setShellFactory(null);
    PortalFileSystemFactory files = new PortalFileSystemFactory();
    ScpOverPortal scp = new ScpOverPortal(files);
    scp.setReceiveBufferSize(SCP_BUFFER_SIZE);
    scp.setSendBufferSize(SCP_BUFFER_SIZE);
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
    SshRekeyPolicy.apply(sshd);
    CoreModuleProperties.WINDOW_SIZE.set(sshd, WINDOW_SIZE);
    // offered to clients through limits@openssh.com: OpenSSH's sftp then reads as much per request as
    // it does from its own sftp-server (255 KiB) instead of MINA's default 63 KiB
    SftpModuleProperties.MAX_READDATA_PACKET_LENGTH.set(sshd, MAX_READ_LENGTH);
    sshd.start();
    server = sshd;
    CipherWarmup ciphers = new CipherWarmup(sshd.getCipherFactories(), sshd.getMacFactories(), CipherWarmup.PACKETS);
    InetSocketAddress self = new InetSocketAddress(selfAddress(), port());
    List<PublicKey> publicKeys = publicKeys(hostKeys);
    Thread t = new Thread(() -> {
      ciphers.run();
      if (warmup != null) {
        warmup.run(self, publicKeys);
        LOG.info("SFTP start-up warm-ups ended: {} MiB downloaded, {} MiB uploaded", warmup.downloaded() >> 20,
            warmup.received() >> 20);
      }
      warmedUp.complete(warmup == null ? 0L : warmup.downloaded());
      uploadWarmedUp.complete(warmup == null ? 0L : warmup.received());
    }, "portal-sftp-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
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

  /** The listener's public host keys (the warm-up's client checks them). */
  synchronized List<PublicKey> publicHostKeys() throws IOException {
    if (server == null) throw new IllegalStateException("not started");
    return publicKeys(server.getKeyPairProvider());
  }

  private static List<PublicKey> publicKeys(KeyPairProvider provider) throws IOException {
    List<PublicKey> keys = new ArrayList<>();
    try {
      provider.loadKeys(null).forEach(k -> keys.add(k.getPublic()));
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the host keys: " + e.getMessage(), e);
    }
    return keys;
  }

  /** Where this host reaches the listener: loopback when it listens on every interface. */
  private InetAddress selfAddress() throws IOException {
    if (host == null) return InetAddress.getLoopbackAddress();
    InetAddress a = InetAddress.getByName(host);
    return a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
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
