package org.ecpds.portal.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPFile;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.LoginException;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.portal.fs.PortalFs;
import org.ecpds.portal.fs.PortalLogin;
import org.ecpds.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol details the stock clients do not show, driven with commons-net: reply codes for each refusal
 * kind, TLS required before login and on data, REST/APPE uploads refused, aborted uploads not committed,
 * delayed refusals, connection limits, idle timeout, passive range and advertised address.
 */
class PortalFtpProtocolTest {
  private static FtpTestPortal t;

  @BeforeAll
  static void start() throws Exception {
    t = new FtpTestPortal(FtpTestPortal.settings());
    t.portal.user("reader", t.password).grant("reader", "DEST", FsPermission.GET, FsPermission.DIR);
  }

  @AfterAll
  static void stop() {
    if (t != null) t.close();
  }

  private static FTPClient plain(int port, String user, String password) throws IOException {
    FTPClient c = new FTPClient();
    c.setControlEncoding("UTF-8");
    c.connect("127.0.0.1", port);
    assertThat(c.login(user, password)).as(c.getReplyString()).isTrue();
    c.enterLocalPassiveMode();
    c.setFileType(FTP.BINARY_FILE_TYPE);
    return c;
  }

  private static FTPSClient explicit(int port) throws IOException {
    FTPSClient c = new FTPSClient("TLS", false);
    c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
    c.setControlEncoding("UTF-8");
    c.connect("127.0.0.1", port);
    return c;
  }

  private static FTPSClient loggedInFtps() throws IOException {
    FTPSClient c = explicit(t.server.port());
    assertThat(c.login(FtpTestPortal.USER, t.password)).as(c.getReplyString()).isTrue();
    c.execPBSZ(0);
    c.execPROT("P");
    c.enterLocalPassiveMode();
    c.setFileType(FTP.BINARY_FILE_TYPE);
    return c;
  }

  @Test
  void tlsListenersRefuseLoginBeforeAuthTlsAndDataWithoutProtP() throws Exception {
    FTPClient c = new FTPClient();
    c.connect("127.0.0.1", t.server.port());
    assertThat(c.login(FtpTestPortal.USER, t.password)).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(530);
    c.disconnect();

    FTPSClient s = explicit(t.server.port());
    assertThat(s.login(FtpTestPortal.USER, t.password)).isTrue();
    s.execPBSZ(0);
    s.execPROT("C");
    s.enterLocalPassiveMode();
    assertThat(s.retrieveFile("/DEST/data/report.bin", new ByteArrayOutputStream())).isFalse();
    assertThat(s.getReplyCode()).isEqualTo(521);
    s.disconnect();
  }

  @Test
  void refusalsKeepTheirKind() throws Exception {
    FTPSClient c = loggedInFtps();
    assertThat(c.retrieveFile("../x", new ByteArrayOutputStream())).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(553);
    assertThat(c.retrieveFile("/DEST/..\\..\\etc\\passwd", new ByteArrayOutputStream())).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(553); // a backslash is no separator and no name either
    assertThat(c.retrieveFile("/etc/passwd", new ByteArrayOutputStream())).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(550);
    assertThat(c.retrieveFile("/OTHER/secret.bin", new ByteArrayOutputStream())).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(550);
    assertThat(c.changeWorkingDirectory("/DEST/../..")).isFalse();
    assertThat(c.printWorkingDirectory()).isEqualTo("/");
    assertThat(c.makeDirectory("/DEST")).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(550);
    assertThat(c.deleteFile("/DEST/data")).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(550);
    // listings of what does not exist or may not be listed are refused, not empty
    assertThat(c.mlistDir("/DEST/nope")).isEmpty();
    assertThat(c.getReplyCode()).isEqualTo(550);
    assertThat(c.listFiles("/OTHER")).isEmpty();
    assertThat(c.getReplyCode()).isEqualTo(550);
    assertThat(c.listNames("/DEST/../..")).isNull();
    assertThat(c.getReplyCode()).isEqualTo(553);
    c.disconnect();

    t.portal.user("lister", t.password).grant("lister", "DEST", FsPermission.GET);
    FTPClient noDir = plain(t.server.ftpPort(), "lister", t.password);
    assertThat(noDir.mlistDir("/DEST/data")).isEmpty();
    assertThat(noDir.getReplyCode()).isEqualTo(550);
    assertThat(t.portal.denied).contains("lister: DIR /DEST/data");
    noDir.disconnect();

    FTPClient reader = plain(t.server.ftpPort(), "reader", t.password);
    assertThat(reader.storeFile("/DEST/denied.bin", new ByteArrayInputStream(new byte[10]))).isFalse();
    assertThat(reader.getReplyCode()).isEqualTo(550);
    assertThat(reader.deleteFile("/DEST/data/report.bin")).isFalse();
    assertThat(reader.getReplyCode()).isEqualTo(550);
    assertThat(t.portal.stored("/DEST/data/report.bin")).isNotNull();
    reader.disconnect();
  }

  @Test
  void quotaAndUnavailableBecome452And450() throws Exception {
    PasswordLogin flaky = (user, password, protocol, remote) -> faulty(t.portal.password(user, password, protocol, remote));
    try (PortalFtpServer s = new PortalFtpServer(new DelegatingLogin(flaky, t.portal), FtpTestPortal.settings(),
        TlsMaterial.generate(List.of("localhost")), "faulty")) {
      s.start();
      FTPClient c = plain(s.ftpPort(), FtpTestPortal.USER, t.password);
      assertThat(c.storeFile("/DEST/full.bin", new ByteArrayInputStream(new byte[10]))).isFalse();
      assertThat(c.getReplyCode()).isEqualTo(452);
      assertThat(c.retrieveFile("/DEST/data/report.bin", new ByteArrayOutputStream())).isFalse();
      assertThat(c.getReplyCode()).isEqualTo(450);
      c.disconnect();
    }
  }

  /** write() refuses with QUOTA_EXCEEDED, read() with UNAVAILABLE; everything else as the portal does it. */
  private static PortalFs faulty(PortalFs fs) {
    return (PortalFs) Proxy.newProxyInstance(PortalFs.class.getClassLoader(), new Class<?>[] {PortalFs.class}, (p, m, args) -> {
      if (m.getName().equals("write")) throw new FsException(FsException.Kind.QUOTA_EXCEEDED, (FsPath) args[0], "quota");
      if (m.getName().equals("read")) throw new FsException(FsException.Kind.UNAVAILABLE, (FsPath) args[0], "master away");
      try {
        return m.invoke(fs, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }

  @FunctionalInterface
  interface PasswordLogin {
    PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException;
  }

  private record DelegatingLogin(PasswordLogin passwords, PortalLogin rest) implements PortalLogin {
    @Override
    public PortalFs password(String user, String password, String protocol, InetSocketAddress remote) throws LoginException {
      return passwords.password(user, password, protocol, remote);
    }

    @Override
    public PortalFs publicKey(String user, java.security.PublicKey key, String protocol, InetSocketAddress remote) throws LoginException {
      return rest.publicKey(user, key, protocol, remote);
    }
  }

  @Test
  void metadataCommandsRenameAndUtf8Names() throws Exception {
    FTPSClient c = loggedInFtps();
    assertThat(c.hasFeature("MLST")).isTrue();
    assertThat(c.hasFeature("UTF8")).isTrue();
    FTPFile f = c.mlistFile("/DEST/data/report.bin");
    assertThat(f.getSize()).isEqualTo(t.report.length);
    assertThat(c.getSize("/DEST/data/report.bin")).isEqualTo(String.valueOf(t.report.length));
    assertThat(c.setModificationTime("/DEST/data/report.bin", "20240102030405")).isTrue();
    assertThat(c.getModificationTime("/DEST/data/report.bin")).isEqualTo("20240102030405.000");
    assertThat(c.makeDirectory("/DEST/été")).as(c.getReplyString()).isTrue();
    byte[] content = "ünïcödé\n".getBytes(StandardCharsets.UTF_8);
    assertThat(c.storeFile("/DEST/été/naïve.txt", new ByteArrayInputStream(content))).as(c.getReplyString()).isTrue();
    assertThat(List.of(c.mlistDir("/DEST/été"))).extracting(FTPFile::getName).containsExactly("naïve.txt");
    assertThat(c.rename("/DEST/été/naïve.txt", "/DEST/été/renamed.txt")).as(c.getReplyString()).isTrue();
    assertThat(t.portal.stored("/DEST/été/renamed.txt").content()).isEqualTo(content);
    assertThat(c.removeDirectory("/DEST/été")).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(550); // not empty
    assertThat(c.deleteFile("/DEST/été/renamed.txt")).isTrue();
    assertThat(c.removeDirectory("/DEST/été")).as(c.getReplyString()).isTrue();
    c.disconnect();
  }

  @Test
  void restartedAndAppendedUploadsAreRefusedBeforeAnythingIsWritten() throws Exception {
    FTPSClient c = loggedInFtps();
    c.setRestartOffset(10);
    assertThat(c.storeFile("/DEST/resumed.bin", new ByteArrayInputStream(new byte[100]))).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(550);
    assertThat(c.appendFile("/DEST/data/report.bin", new ByteArrayInputStream(new byte[100]))).isFalse();
    assertThat(c.getReplyCode()).isEqualTo(502);
    assertThat(t.portal.stored("/DEST/resumed.bin")).isNull();
    assertThat(t.portal.stored("/DEST/data/report.bin").content()).isEqualTo(t.report);
    // the session is still usable
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    assertThat(c.retrieveFile("/DEST/data/report.bin", got)).isTrue();
    assertThat(got.toByteArray()).isEqualTo(t.report);
    c.disconnect();
  }

  @Test
  void binaryTransfersCopyEveryByteAndTypeAStillConvertsLineEnds() throws Exception {
    FTPClient c = plain(t.server.ftpPort(), FtpTestPortal.USER, t.password);
    byte[] big = FtpTestPortal.random(3 * 256 * 1024 + 5); // several of the data channel's blocks, and a partial one
    assertThat(c.storeFile("/DEST/blocks.bin", new ByteArrayInputStream(big))).as(c.getReplyString()).isTrue();
    assertThat(t.portal.stored("/DEST/blocks.bin").content()).isEqualTo(big);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    c.setRestartOffset(256 * 1024 - 1);
    assertThat(c.retrieveFile("/DEST/blocks.bin", got)).as(c.getReplyString()).isTrue();
    assertThat(got.toByteArray()).isEqualTo(java.util.Arrays.copyOfRange(big, 256 * 1024 - 1, big.length));

    assertThat(c.storeFile("/DEST/notes.txt", new ByteArrayInputStream("a\nb\n".getBytes(StandardCharsets.US_ASCII)))).isTrue();
    assertThat(c.sendCommand("TYPE A")).isEqualTo(200);
    assertThat(c.sendCommand("EPSV")).isEqualTo(229);
    Matcher m = EPSV.matcher(c.getReplyString());
    assertThat(m.find()).isTrue();
    try (Socket raw = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
      c.sendCommand("RETR /DEST/notes.txt");
      assertThat(c.getReplyCode()).isEqualTo(150);
      assertThat(new String(raw.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("a\r\nb\r\n");
    }
    assertThat(c.getReply()).isEqualTo(226);
    c.disconnect();
  }

  private static final Pattern EPSV = Pattern.compile("\\(\\|\\|\\|(\\d+)\\|\\)");

  /** STOR over a data connection the test opens itself, sends half the file, then breaks as {@code abort} says. */
  private void abortedUpload(FTPClient control, String path, DataBreak abort) throws Exception {
    assertThat(control.sendCommand("EPSV")).isEqualTo(229);
    Matcher m = EPSV.matcher(control.getReplyString());
    assertThat(m.find()).isTrue();
    Socket raw = new Socket("127.0.0.1", Integer.parseInt(m.group(1)));
    control.sendCommand("STOR " + path);
    assertThat(control.getReplyCode()).isEqualTo(150);
    abort.sendHalfAndBreak(raw);
    assertThat(control.getReply()).isIn(426, 451);
    assertThat(t.portal.stored(path)).isNull();
  }

  interface DataBreak {
    void sendHalfAndBreak(Socket raw) throws Exception;
  }

  @Test
  void anUploadResetHalfWayIsNotCommitted() throws Exception {
    FTPClient c = plain(t.server.ftpPort(), FtpTestPortal.USER, t.password);
    abortedUpload(c, "/DEST/reset.bin", raw -> {
      OutputStream out = raw.getOutputStream();
      out.write(new byte[64 * 1024]);
      out.flush();
      raw.setSoLinger(true, 0); // RST, not FIN
      raw.close();
    });
    assertThat(c.sendNoOp()).isTrue();
    c.disconnect();
  }

  @Test
  void aTlsUploadResetHalfWayIsNotCommitted() throws Exception {
    FTPSClient c = loggedInFtps();
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new javax.net.ssl.TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
    abortedUpload(c, "/DEST/truncated.bin", raw -> {
      SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "127.0.0.1", raw.getPort(), false);
      tls.setUseClientMode(true);
      tls.startHandshake();
      tls.getOutputStream().write(new byte[64 * 1024]);
      tls.getOutputStream().flush();
      raw.setSoLinger(true, 0); // RST under the TLS layer
      raw.close();
    });
    c.disconnect();
  }

  @Test
  void refusalsWaitForRetryAfterWithoutHoldingAThreadAndCloseAfterTheLastAllowedFailure() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    PasswordLogin slow = (user, password, protocol, remote) -> {
      if (user.equals("throttled")) {
        asked.countDown();
        throw new LoginException("wait", Duration.ofMillis(3000));
      }
      return t.portal.password(user, password, protocol, remote);
    };
    // maxLogins 1: FtpServer's command executor then has a single thread
    FtpPortalSettings settings = FtpTestPortal.settings().withMaxLogins(1);
    try (PortalFtpServer s = new PortalFtpServer(new DelegatingLogin(slow, t.portal), settings,
        TlsMaterial.generate(List.of("localhost")), "slow")) {
      s.start();
      FTPClient c = new FTPClient();
      c.connect("127.0.0.1", s.ftpPort());
      long t0 = System.nanoTime();
      CompletableFuture<Boolean> refused = CompletableFuture.supplyAsync(() -> {
        try {
          return c.login("throttled", "x");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
      // while that refusal waits, the only command thread serves another client
      FTPClient other = plain(s.ftpPort(), FtpTestPortal.USER, t.password);
      assertThat(other.listNames("/DEST/data")).containsExactly("report.bin");
      assertThat(refused).isNotDone();
      other.logout();
      other.disconnect();
      assertThat(refused.get(10, TimeUnit.SECONDS)).isFalse();
      assertThat(c.getReplyCode()).isEqualTo(530);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(2900));

      FTPClient w = new FTPClient();
      w.connect("127.0.0.1", s.ftpPort());
      assertThat(w.login(FtpTestPortal.USER, "wrong-1")).isFalse();
      assertThat(w.getReplyCode()).isEqualTo(530);
      assertThat(w.login(FtpTestPortal.USER, "wrong-2")).isFalse();
      assertThatThrownBy(() -> {
        w.login(FtpTestPortal.USER, "wrong-3");
        w.sendNoOp();
      }).isInstanceOf(FTPConnectionClosedException.class);
      c.disconnect();
    }
  }

  @Test
  void connectionsPerAddressAreLimited() throws Exception {
    FtpPortalSettings settings = FtpTestPortal.settings().withLimits(Duration.ofMinutes(1), 2, 3, Duration.ZERO);
    try (PortalFtpServer s = new PortalFtpServer(t.portal, settings, TlsMaterial.generate(List.of("localhost")), "limits")) {
      s.start();
      FTPClient a = new FTPClient();
      a.connect("127.0.0.1", s.ftpPort());
      FTPClient b = new FTPClient();
      b.connect("127.0.0.1", s.ftpPort());
      FTPClient third = new FTPClient();
      assertThatThrownBy(() -> third.connect("127.0.0.1", s.ftpPort())).isInstanceOf(FTPConnectionClosedException.class);
      a.disconnect();
      b.disconnect();
    }
  }

  @Test
  void anIdleControlConnectionIsClosed() throws Exception {
    FtpPortalSettings settings = FtpTestPortal.settings().withLimits(Duration.ofSeconds(1), 20, 3, Duration.ZERO);
    try (PortalFtpServer s = new PortalFtpServer(t.portal, settings, TlsMaterial.generate(List.of("localhost")), "idle")) {
      s.start();
      try (Socket idle = new Socket("127.0.0.1", s.ftpPort())) {
        idle.setSoTimeout(15_000);
        long t0 = System.nanoTime();
        // the server's greeting, then nothing until it closes the connection (readAllBytes returns at EOF)
        String received = new String(idle.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(received).startsWith("220 ");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
      }
    }
  }

  @Test
  void passivePortsComeFromTheConfiguredRangeAndTheAdvertisedAddress() throws Exception {
    int port = FreePorts.next();
    FtpPortalSettings settings = FtpTestPortal.settings().withPassive(port + "-" + port, "127.0.0.1");
    try (PortalFtpServer s = new PortalFtpServer(t.portal, settings, TlsMaterial.generate(List.of("localhost")), "pasv")) {
      s.start();
      FTPClient c = plain(s.ftpPort(), FtpTestPortal.USER, t.password);
      assertThat(c.sendCommand("PASV")).isEqualTo(227);
      assertThat(c.getReplyString()).contains("127,0,0,1," + (port / 256) + "," + (port % 256));
      c.abort();
      c.disconnect();
      FTPClient d = plain(s.ftpPort(), FtpTestPortal.USER, t.password);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      assertThat(d.retrieveFile("/DEST/data/report.bin", got)).isTrue();
      assertThat(got.toByteArray()).isEqualTo(t.report);
      assertThat(d.getPassivePort()).isEqualTo(port);
      d.disconnect();
    }
    PortalFtpServer advertised = new PortalFtpServer(t.portal, FtpTestPortal.settings().withPassive("0", "192.0.2.7"),
        TlsMaterial.generate(List.of("localhost")), "nat");
    try (advertised) {
      advertised.start();
      FTPClient c = plain(advertised.ftpPort(), FtpTestPortal.USER, t.password);
      assertThat(c.sendCommand("PASV")).isEqualTo(227);
      assertThat(c.getReplyString()).contains("192,0,2,7,");
      c.disconnect();
    }
  }

  @Test
  void portalSessionsAreReleasedOnQuitAndWhenTheServerCloses() throws Exception {
    CountDownLatch released = new CountDownLatch(2);
    PasswordLogin counting = (user, password, protocol, remote) -> {
      PortalFs fs = t.portal.password(user, password, protocol, remote);
      return (PortalFs) Proxy.newProxyInstance(PortalFs.class.getClassLoader(), new Class<?>[] {PortalFs.class}, (p, m, args) -> {
        if (m.getName().equals("close")) released.countDown();
        try {
          return m.invoke(fs, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      });
    };
    PortalFtpServer s = new PortalFtpServer(new DelegatingLogin(counting, t.portal), FtpTestPortal.settings(),
        TlsMaterial.generate(List.of("localhost")), "release");
    try (s) {
      s.start();
      FTPClient quits = plain(s.ftpPort(), FtpTestPortal.USER, t.password);
      quits.logout();
      quits.disconnect();
      FTPClient stays = plain(s.ftpPort(), FtpTestPortal.USER, t.password);
      assertThat(stays.sendNoOp()).isTrue();
    }
    assertThat(released.await(10, TimeUnit.SECONDS)).as("both portal sessions closed").isTrue();
  }

  @Test
  void settingsAreReadFromTheConfiguration() {
    FtpPortalSettings s = FtpPortalSettings.from(org.ecpds.common.config.Config.empty()
        .with("portal.ftp.port", 2121).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", 990)
        .with("portal.ftp.passivePorts", "50000-50010").with("portal.ftp.passiveAddress", "192.0.2.1")
        .with("portal.ftp.idleTimeout", "90s").with("portal.ftp.maxConnectionsPerAddress", 5)
        .with("portal.ftp.maxLoginFailures", 2).with("portal.ftp.loginFailureDelay", "2s"));
    assertThat(s.ftpPort()).isEqualTo(2121);
    assertThat(s.ftpsPort()).isEqualTo(-1);
    assertThat(s.implicitPort()).isEqualTo(990);
    assertThat(s.passivePorts()).isEqualTo("50000-50010");
    assertThat(s.passiveAddress()).isEqualTo("192.0.2.1");
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(s.maxConnectionsPerAddress()).isEqualTo(5);
    assertThat(s.maxLoginFailures()).isEqualTo(2);
    assertThat(s.loginFailureDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(FtpPortalSettings.from(org.ecpds.common.config.Config.empty())).isEqualTo(FtpPortalSettings.defaults().withBind("0.0.0.0"));
  }

  @Test
  void plainFtpIsOffAndDefaultPortsAreFree() throws Exception {
    FtpPortalSettings d = FtpPortalSettings.defaults();
    assertThat(d.ftpPort()).isEqualTo(-1);
    assertThat(Set.of(d.ftpsPort(), d.implicitPort())).doesNotContainAnyElementsOf(Set.of(2640, 2641, 4443, 4022, 3443));
    FtpPortalSettings noPlain = FtpTestPortal.settings().withPorts(-1, 0, -1);
    try (PortalFtpServer s = new PortalFtpServer(t.portal, noPlain, TlsMaterial.generate(List.of("localhost")), "tls-only")) {
      s.start();
      assertThat(s.ftpPort()).isEqualTo(-1);
      assertThat(s.implicitPort()).isEqualTo(-1);
      assertThat(s.port()).isPositive();
    }
  }
}
