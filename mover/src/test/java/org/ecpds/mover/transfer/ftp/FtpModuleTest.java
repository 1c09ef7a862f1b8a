package org.ecpds.mover.transfer.ftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.VsftpdServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What the conformance suite does not cover, against real vsftpd servers on loopback. */
class FtpModuleTest {
  static VsftpdServer plain;
  static VsftpdServer explicit;
  static VsftpdServer implicit;
  static final FtpModuleFactory FACTORY = new FtpModuleFactory();

  @BeforeAll
  static void start() {
    plain = VsftpdServer.start(VsftpdServer.Mode.PLAIN);
    explicit = VsftpdServer.start(VsftpdServer.Mode.EXPLICIT_TLS);
    implicit = VsftpdServer.start(VsftpdServer.Mode.IMPLICIT_TLS);
  }

  @AfterAll
  static void stop() {
    for (VsftpdServer s : new VsftpdServer[] {plain, explicit, implicit}) if (s != null) s.close();
  }

  static HostSpec host(VsftpdServer s, String method) {
    return HostSpec.newBuilder().setName("t").setTransferMethod(method).setAddress("127.0.0.1").setPort(s.port())
        .setLogin(s.user()).setPassword(s.password()).build();
  }

  static TransferModule connect(VsftpdServer s, String method, Map<String, String> options) throws TransferException {
    TransferModule m = FACTORY.create();
    m.connect(host(s, method), options);
    return m;
  }

  static Map<String, String> opts(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  static String pem(VsftpdServer s) throws IOException {
    return Files.readString(s.certificate());
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  static void assertKind(Executable e, ErrorKind kind) {
    assertThatThrownBy(e::execute).isInstanceOf(TransferException.class)
        .satisfies(t -> assertThat(((TransferException) t).kind()).as(t.getMessage()).isEqualTo(kind));
  }

  /** put, get, list and size over active mode (the server connects back to us). */
  @Test
  void activeMode() throws Exception {
    byte[] data = random(300_000);
    try (TransferModule m = connect(plain, "ftp", opts("ftp.passive", "no"))) {
      m.put(new ByteArrayInputStream(data), data.length, "active/a file é.bin", ProgressListener.NONE);
      try (InputStream in = m.get("active/a file é.bin", 1000)) {
        assertThat(in.readAllBytes()).hasSize(data.length - 1000);
      }
      List<RemoteFile> l = m.list("active");
      assertThat(((FtpModule) m).mlsdInUse()).isFalse(); // vsftpd: LIST fallback
      assertThat(l).containsExactly(new RemoteFile("a file é.bin", data.length, l.get(0).modifiedMillis(), false));
      assertThat(m.size("active/a file é.bin")).isEqualTo(data.length);
    }
    assertThat(Files.readAllBytes(plain.root().resolve("active/a file é.bin"))).isEqualTo(data);
  }

  /** Many files over one session: one login, directories created once, temp files gone. */
  @Test
  void connectionReuse() throws Exception {
    long logins = countLogins();
    try (TransferModule m = connect(plain, "ftp", Map.of())) {
      for (int i = 0; i < 200; i++) {
        byte[] b = ("file " + i).getBytes(StandardCharsets.UTF_8);
        m.put(new ByteArrayInputStream(b), b.length, "reuse/d" + (i % 3) + "/f" + i + ".txt", ProgressListener.NONE);
      }
      assertThat(m.list("reuse/d1")).hasSize(67);
    }
    assertThat(countLogins() - logins).isEqualTo(1);
    try (var files = Files.walk(plain.root().resolve("reuse"))) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(FtpModule.TMP_SUFFIX))).isEmpty();
    }
  }

  private static long countLogins() throws IOException {
    if (!Files.exists(plain.log())) return 0;
    return Files.readAllLines(plain.log()).stream().filter(l -> l.contains("OK LOGIN")).count();
  }

  @Test
  void withoutTempNameTheFinalNameIsWrittenDirectly() throws Exception {
    try (TransferModule m = connect(plain, "ftp", opts("ftp.usetmp", "no"))) {
      m.put(new ByteArrayInputStream(random(5000)), 5000, "direct/x.bin", ProgressListener.NONE);
    }
    assertThat(plain.root().resolve("direct/x.bin")).hasSize(5000);
  }

  @Test
  void withoutMkdirsAMissingDirectoryIsNotFound() throws Exception {
    try (TransferModule m = connect(plain, "ftp", opts("ftp.mkdirs", "no"))) {
      assertKind(() -> m.put(new ByteArrayInputStream(new byte[3]), 3, "nomk/a/b.bin", ProgressListener.NONE), ErrorKind.NOT_FOUND);
    }
    assertThat(plain.root().resolve("nomk")).doesNotExist();
  }

  /** The server's 550s say "Failed to open file" / "Could not create file": classified by a check. */
  @Test
  void permissionAndNotFound() throws Exception {
    Path locked = Files.createDirectories(plain.root().resolve("locked")); // root-owned, 755: not writable for the account
    Files.writeString(locked.resolve("root-only.txt"), "secret");
    Files.setPosixFilePermissions(locked.resolve("root-only.txt"), PosixFilePermissions.fromString("rw-------"));
    try (TransferModule m = connect(plain, "ftp", Map.of())) {
      assertKind(() -> m.put(new ByteArrayInputStream(new byte[3]), 3, "locked/x.bin", ProgressListener.NONE), ErrorKind.PERMISSION);
      assertKind(() -> m.get("locked/root-only.txt", 0).close(), ErrorKind.PERMISSION);
      assertKind(() -> m.delete("locked/root-only.txt"), ErrorKind.PERMISSION);
      assertKind(() -> m.mkdirs("locked/sub"), ErrorKind.PERMISSION);
      assertKind(() -> m.get("missing/nothing.bin", 0).close(), ErrorKind.NOT_FOUND);
      assertKind(() -> m.rename("missing.bin", "other.bin"), ErrorKind.NOT_FOUND);
      assertKind(() -> m.list("missing-dir"), ErrorKind.NOT_FOUND);
      // the session is still usable after all those failures
      m.put(new ByteArrayInputStream(new byte[3]), 3, "after-failures.bin", ProgressListener.NONE);
    }
    assertThat(locked.resolve("root-only.txt")).exists();
  }

  @Test
  void failingSourceIsLocalAndLeavesNothing() throws Exception {
    InputStream broken = new InputStream() {
      int n;

      @Override
      public int read() throws IOException {
        if (n++ > 2_000_000) throw new IOException("disk read error");
        return 1;
      }
    };
    try (TransferModule m = connect(plain, "ftp", Map.of())) {
      assertKind(() -> m.put(broken, 5_000_000, "local/broken.bin", ProgressListener.NONE), ErrorKind.LOCAL);
      m.put(new ByteArrayInputStream(new byte[10]), 10, "local/next.bin", ProgressListener.NONE); // still usable
    }
    try (var files = Files.list(plain.root().resolve("local"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("next.bin");
    }
  }

  @Test
  void readerClosingEarlyKeepsTheSessionUsable() throws Exception {
    try (TransferModule m = connect(explicit, "ftps", opts("ftps.trustCert", pem(explicit)))) {
      m.put(new ByteArrayInputStream(random(5_000_000)), 5_000_000, "early/big.bin", ProgressListener.NONE);
      try (InputStream in = m.get("early/big.bin", 0)) {
        assertThat(in.readNBytes(1000)).hasSize(1000);
      }
      assertThat(m.size("early/big.bin")).isEqualTo(5_000_000);
    }
  }

  @Test
  void implicitTlsByOption() throws Exception {
    for (Map<String, String> o : List.of(opts("ftps.implicit", "yes"), opts("ftps.connectionType", "FTPS"))) {
      try (TransferModule m = connect(implicit, "ftps", o)) { // no trustCert: any certificate accepted
        m.put(new ByteArrayInputStream(new byte[7]), 7, "implicit/seven.bin", ProgressListener.NONE);
        assertThat(m.size("implicit/seven.bin")).isEqualTo(7);
      }
    }
  }

  @Test
  void certificateChecks() throws Exception {
    // pinned: the other server's certificate does not match
    assertKind(() -> connect(explicit, "ftps", opts("ftps.trustCert", pem(implicit))).close(), ErrorKind.AUTHENTICATION);
    assertKind(() -> connect(implicit, "ftps-implicit", opts("ftps.trustCert", pem(explicit))).close(), ErrorKind.AUTHENTICATION);
    // strict without a pin: a self-signed certificate is not in the JVM's trust store
    assertKind(() -> connect(explicit, "ftps", opts("ftps.strict", "yes")).close(), ErrorKind.AUTHENTICATION);
    // pinned as a file path, and the right one
    try (TransferModule m = connect(explicit, "ftps", opts("ftps.trustCert", explicit.certificate().toString()))) {
      assertThat(m.size("nothing-here")).isEqualTo(-1);
    }
  }

  /** The plain server requires nothing; the TLS ones refuse a plain login (force_local_logins_ssl). */
  @Test
  void plainLoginOnATlsOnlyServerIsRefused() {
    assertKind(() -> connect(explicit, "ftp", Map.of()).close(), ErrorKind.AUTHENTICATION);
  }

  /**
   * A server that greets and then says nothing: NETWORK after the idle timeout. (The greeting
   * itself is awaited for the connect timeout, as commons-net does.)
   */
  @Test
  void silentServerTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (Socket s = silent.accept()) {
          s.getOutputStream().write("220 hello\r\n".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          Thread.sleep(10_000);
        } catch (Exception ignored) {
          // test over
        }
      });
      t.setDaemon(true);
      t.start();
      HostSpec h = HostSpec.newBuilder().setTransferMethod("ftp").setAddress("127.0.0.1").setPort(silent.getLocalPort())
          .setLogin("x").setPassword("y").build();
      long start = System.nanoTime();
      try (TransferModule m = FACTORY.create()) {
        assertKind(() -> m.connect(h, opts("ftp.idleTimeout", "1s")), ErrorKind.NETWORK);
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5_000L);
    }
  }
}
