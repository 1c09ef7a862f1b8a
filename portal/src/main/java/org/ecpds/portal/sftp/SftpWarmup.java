package org.ecpds.portal.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.mac.BuiltinMacs;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a synthetic file through the portal's own SFTP listener right after start, so that the JIT
 * has compiled the per-packet path (SFTP read handler, cipher, MAC, NIO writes) before the first user's
 * download. Without it the first large download after a start ran at 0.6x of the later ones while C2
 * compiled that path under it (docs/benchmarks.md, "SFTP portal: the first download after start").
 *
 * <p>The session logs in with a key pair made for this run and kept in memory only; this login accepts
 * that key, for the reserved user name, from an address of this host, and only while the warm-up runs.
 * Every other login goes to the portal's. The session sees {@link WarmupFs}: no user's data, read-only.
 */
final class SftpWarmup implements PortalLogin {
  static final String USER = "ecpds-sftp-warmup";
  private static final Logger LOG = LoggerFactory.getLogger(SftpWarmup.class);
  /** The read size of OpenSSH's sftp, so that the compiled code is shaped by the packets users send. */
  private static final int READ_SIZE = 32 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final PortalLogin portal;
  private final long bytes;
  private volatile PublicKey accepted;
  private volatile long downloaded;
  private final LongAdder received = new LongAdder();
  private UploadWarmup uploader;
  private long uploadBytes;
  /** OpenSSH's sftp client, or null for MINA's. */
  private Path openSsh = openSshSftp();

  SftpWarmup(PortalLogin portal, long bytes) {
    this.portal = portal;
    this.bytes = bytes;
  }

  /** Warms up with MINA's client even where OpenSSH's is installed (tests of that path). */
  SftpWarmup withoutOpenSsh() {
    openSsh = null;
    return this;
  }

  /**
   * Before the download, a client's upload path is warmed with {@code bytes} through the listener. Before,
   * not after: that client shares MINA's packet code with the listener's download path, and a warm-up run
   * after the download made C2 discard that code and compile it again during the first user's download
   * (docs/benchmarks.md, "SFTP portal: the warm-ups' order").
   */
  SftpWarmup withUpload(UploadWarmup uploader, long bytes) {
    this.uploader = uploader;
    this.uploadBytes = bytes;
    return this;
  }

  /** Bytes the last run downloaded. */
  long downloaded() {
    return downloaded;
  }

  /** Bytes the listener received from uploads of warm-up sessions. */
  long received() {
    return received.sum();
  }

  /** The key the warm-up session logs in with; null: no login is the warm-up's. */
  void accept(PublicKey key) {
    accepted = key;
  }

  @Override
  public PortalFs password(String user, String password, String protocol, InetSocketAddress remote)
      throws LoginException {
    return portal.password(user, password, protocol, remote);
  }

  @Override
  public PortalFs publicKey(String user, PublicKey key, String protocol, InetSocketAddress remote)
      throws LoginException {
    PublicKey ours = accepted;
    if (ours != null && USER.equals(user) && KeyUtils.compareKeys(ours, key) && fromThisHost(remote)) {
      try {
        return new WarmupFs(bytes, received);
      } catch (IOException e) {
        throw new LoginException("warm-up file system: " + e.getMessage(), null);
      }
    }
    return portal.publicKey(user, key, protocol, remote);
  }

  @Override
  public S3Credentials s3Credentials(String accessKeyId, InetSocketAddress remote) throws LoginException {
    return portal.s3Credentials(accessKeyId, remote);
  }

  @Override
  public PortalFs s3Session(S3Credentials credentials, InetSocketAddress remote) throws LoginException {
    return portal.s3Session(credentials, remote);
  }

  @Override
  public void s3SignatureRefused(S3Credentials credentials, InetSocketAddress remote) {
    portal.s3SignatureRefused(credentials, remote);
  }

  /**
   * Connects to the listener at {@code address} (whose host keys are {@code hostKeys}) and downloads the
   * synthetic file. OpenSSH's sftp client is used where it is installed: the server's code is then
   * profiled with the requests most users send (a warm-up with MINA's own client left C2 to deoptimise
   * and recompile part of that path during the first real download). Otherwise MINA's client, with the
   * algorithms OpenSSH picks against the portal. Failures are logged only: a lost optimisation, never a
   * reason to stop the portal.
   */
  void run(InetSocketAddress address, List<PublicKey> hostKeys) {
    long start = System.nanoTime();
    KeyPair pair;
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      pair = gen.generateKeyPair();
    } catch (GeneralSecurityException e) {
      LOG.warn("SFTP warm-up skipped: {}", e.toString());
      return;
    }
    accept(pair.getPublic());
    try {
      if (uploader != null && uploadBytes > 0) upload(address, hostKeys, pair);
      if (bytes > 0) download(address, hostKeys, pair, start);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      accept(null);
    }
  }

  private void download(InetSocketAddress address, List<PublicKey> hostKeys, KeyPair pair, long start)
      throws InterruptedException {
    String client = "MINA";
    try {
      if (openSsh != null) {
        client = "OpenSSH";
        withOpenSsh(openSsh, address, hostKeys, pair);
      } else {
        withMina(address, hostKeys, pair);
      }
      LOG.info("portal SFTP warmed up: {} MiB with {}'s client in {} ms", downloaded >> 20, client,
          (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      LOG.warn("SFTP warm-up stopped: {}", e.toString());
    }
  }

  private void upload(InetSocketAddress address, List<PublicKey> hostKeys, KeyPair pair) throws InterruptedException {
    long start = System.nanoTime();
    try {
      long uploaded = uploader.upload(address, hostKeys, USER, pair,
          "/" + WarmupFs.DESTINATION + "/" + WarmupFs.UPLOADS + "/" + WarmupFs.FILE, uploadBytes);
      LOG.info("SFTP client upload path warmed up: {} MiB in {} ms", uploaded >> 20, (System.nanoTime() - start) / 1_000_000);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("SFTP client upload warm-up stopped: {}", e.toString());
    }
  }

  private static Path openSshSftp() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "sftp");
      if (Files.isExecutable(p)) return p;
    }
    return null;
  }

  private void withOpenSsh(Path sftp, InetSocketAddress address, List<PublicKey> hostKeys, KeyPair pair)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("ecpds-sftp-warmup", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    try {
      Path key = Files.createFile(dir.resolve("id"), PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(key)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "warm-up", null, out);
      } catch (GeneralSecurityException e) {
        throw new IOException("cannot write the warm-up key: " + e.getMessage(), e);
      }
      String host = "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
      StringBuilder known = new StringBuilder();
      for (PublicKey k : hostKeys) known.append(host).append(' ').append(PublicKeyEntry.toString(k)).append('\n');
      Path knownHosts = Files.writeString(dir.resolve("known_hosts"), known);
      Process p = new ProcessBuilder(sftp.toString(), "-q", "-b", "-", "-P", String.valueOf(address.getPort()),
          "-i", key.toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "PasswordAuthentication=no",
          "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
          "-o", "GlobalKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-F", "/dev/null",
          USER + "@" + address.getAddress().getHostAddress())
          .redirectErrorStream(true).redirectOutput(dir.resolve("output").toFile()).start();
      try (OutputStream commands = p.getOutputStream()) {
        commands.write(("get /" + WarmupFs.DESTINATION + "/" + WarmupFs.FILE + " /dev/null\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(TIMEOUT.toSeconds() + bytes / (10L << 20), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("OpenSSH's sftp did not finish the warm-up in time");
      }
      if (p.exitValue() != 0) {
        throw new IOException("OpenSSH's sftp exited with " + p.exitValue() + ": "
            + Files.readString(dir.resolve("output")).strip());
      }
      downloaded = bytes;
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    }
  }

  private void withMina(InetSocketAddress address, List<PublicKey> hostKeys, KeyPair pair) throws IOException {
    SshClient client = SshClient.setUpDefaultClient();
    try {
      client.setCipherFactories(List.of(BuiltinCiphers.aes128ctr));
      client.setMacFactories(List.of(BuiltinMacs.hmacsha256etm));
      client.setServerKeyVerifier((session, remote, key) -> hostKeys.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
      client.start();
      try (ClientSession session = client.connect(USER, address).verify(TIMEOUT).getSession()) {
        session.addPublicKeyIdentity(pair);
        session.auth().verify(TIMEOUT);
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
             InputStream in = sftp.read("/" + WarmupFs.DESTINATION + "/" + WarmupFs.FILE, READ_SIZE)) {
          byte[] buffer = new byte[4 * READ_SIZE];
          long total = 0;
          for (int n; (n = in.read(buffer)) > 0; ) total += n;
          downloaded = total;
        }
      }
    } finally {
      client.stop();
    }
  }

  private static boolean fromThisHost(InetSocketAddress remote) {
    if (remote == null) return false;
    InetAddress a = remote.getAddress();
    if (a == null) return false;
    if (a.isLoopbackAddress()) return true;
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
