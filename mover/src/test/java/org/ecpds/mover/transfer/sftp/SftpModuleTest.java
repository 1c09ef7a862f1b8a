package org.ecpds.mover.transfer.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.ecpds.mover.transfer.BytesPut;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Against a real OpenSSH sshd (internal-sftp) on loopback. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SftpModuleTest {
  static OpenSshServer sshd;
  static SftpModuleFactory factory;

  @BeforeAll
  static void startServer() {
    sshd = OpenSshServer.start();
    factory = new SftpModuleFactory();
  }

  @AfterAll
  static void stopServer() {
    if (factory != null) factory.close();
    if (sshd != null) sshd.close();
  }

  static HostSpec host(String password) {
    return HostSpec.newBuilder().setName("test").setTransferMethod("sftp").setAddress("127.0.0.1")
        .setPort(sshd.port()).setLogin(sshd.user()).setPassword(password).build();
  }

  static TransferModule connected(Map<String, String> options) throws TransferException {
    TransferModule m = factory.create();
    m.connect(host(sshd.password()), options);
    return m;
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  @Order(1)
  void putArrivesIdenticalInNewNestedDirectories() throws Exception {
    byte[] content = random(5 * 1024 * 1024 + 3);
    List<Long> progress = new ArrayList<>();
    try (TransferModule m = connected(Map.of())) {
      long n = m.put(new ByteArrayInputStream(content), content.length, "in/deep/er/file.bin", progress::add);
      assertThat(n).isEqualTo(content.length);
      assertThat(m.size("in/deep/er/file.bin")).isEqualTo(content.length);
      assertThat(m.list("in/deep/er")).extracting(RemoteFile::name).containsExactly("file.bin");
    }
    Path arrived = sshd.home().resolve("in/deep/er/file.bin");
    assertThat(Files.readAllBytes(arrived)).isEqualTo(content);
    assertThat(progress).isNotEmpty().last().isEqualTo((long) content.length);
    assertThat(leftoverTemps()).isEmpty();
  }

  @Test
  @Order(2)
  void putReplacesAnExistingFileAndAcceptsAbsolutePaths() throws Exception {
    String target = sshd.home().resolve("abs/replace.txt").toString();
    try (TransferModule m = connected(Map.of())) {
      m.put(new ByteArrayInputStream("old".getBytes()), 3, target, b -> {});
      m.put(new ByteArrayInputStream("newer".getBytes()), 5, target, b -> {});
    }
    assertThat(Files.readString(Path.of(target))).isEqualTo("newer");
  }

  @Test
  @Order(3)
  void failingSourceNeverShowsTheFinalName() throws Exception {
    InputStream breaks = new InputStream() {
      int served;

      @Override
      public int read() throws IOException {
        if (served++ > 3_000_000) throw new IOException("store read failed");
        return 'y';
      }
    };
    try (TransferModule m = connected(Map.of())) {
      assertThatThrownBy(() -> m.put(breaks, 10_000_000, "partial/never.bin", b -> {}))
          .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.LOCAL));
    }
    assertThat(sshd.home().resolve("partial/never.bin")).doesNotExist();
    assertThat(leftoverTemps()).isEmpty();
  }

  @Test
  @Order(4)
  void wrongPasswordIsAuthentication() {
    TransferModule m = factory.create();
    assertThatThrownBy(() -> m.connect(host("not-the-password"), Map.of("sftp.connectTimeout", "10s")))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION));
  }

  @Test
  @Order(5)
  void keyLoginAndPinnedHostKey() throws Exception {
    String key = Files.readString(sshd.clientKey());
    HostSpec noPassword = host("").toBuilder().build();
    String fp = hostKeyFingerprint();
    try (TransferModule m = factory.create()) {
      m.connect(noPassword, Map.of("sftp.privateKey", key, "sftp.fingerPrint", fp));
      m.put(new ByteArrayInputStream("k".getBytes()), 1, "key.txt", b -> {});
    }
    assertThat(sshd.home().resolve("key.txt")).hasContent("k");

    TransferModule wrong = factory.create();
    assertThatThrownBy(() -> wrong.connect(host(sshd.password()),
        Map.of("sftp.fingerPrint", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTHENTICATION))
        .hasMessageContaining("host key");
  }

  @Test
  @Order(6)
  void closedPortIsNetwork() {
    try (FreePorts.ClosedPort closed = FreePorts.closedPort()) {
      HostSpec nowhere = host(sshd.password()).toBuilder().setPort(closed.port()).build();
      TransferModule m = factory.create();
      assertThatThrownBy(() -> m.connect(nowhere, Map.of("sftp.connectTimeout", "5s")))
          .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK));
    }
  }

  @Test
  @Order(99)
  void stoppedServerIsNetwork() {
    sshd.stop();
    TransferModule m = factory.create();
    assertThatThrownBy(() -> m.connect(host(sshd.password()), Map.of("sftp.connectTimeout", "5s")))
        .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK));
  }

  @Test
  @Order(50)
  void aBatchIsPipelinedAndAFailingMemberFailsAlone() throws Exception {
    Path ro = Files.createDirectories(sshd.home().resolve("ro-batch")); // root's: the account may not write
    Path ok = sshd.home().resolve("ok-batch");
    try (TransferModule m = connected(Map.of())) {
      m.mkdirs("ok-batch");
      Files.createDirectory(ok.resolve("blocked")); // root's directory: renaming onto it is refused
      List<BytesPut> puts = new ArrayList<>();
      for (int i = 0; i < 20; i++) puts.add(BytesPut.of("ok-batch/f" + i, "content " + i));
      puts.add(BytesPut.of("ro-batch/x.bin", "xx"));
      puts.add(BytesPut.refused("ok-batch/cancelled.bin", ErrorKind.CANCELLED));
      puts.add(BytesPut.of("ok-batch/blocked", "blocked"));
      puts.add(BytesPut.of("new-batch/sub/d.bin", "dddd"));
      puts.add(new BytesPut("ok-batch/empty.bin", new byte[0], null));
      List<PutResult> r = m.putAll(puts);
      assertThat(r).hasSize(25);
      for (int i = 0; i < 20; i++) {
        assertThat(r.get(i).ok()).as(i + ": " + r.get(i)).isTrue();
        assertThat(ok.resolve("f" + i)).hasContent("content " + i);
      }
      assertThat(r.get(20).error().kind()).as(r.get(20).error().getMessage()).isEqualTo(ErrorKind.PERMISSION);
      assertThat(r.get(21).error().kind()).isEqualTo(ErrorKind.CANCELLED);
      assertThat(r.get(22).error()).as("a rename onto a directory fails").isNotNull();
      assertThat(r.get(23).bytes()).as("a missing directory is created").isEqualTo(4);
      assertThat(sshd.home().resolve("new-batch/sub/d.bin")).hasContent("dddd");
      assertThat(r.get(24).bytes()).isZero();
      assertThat(ok.resolve("empty.bin")).isEmptyFile();
      try (Stream<Path> s = Files.list(ro)) {
        assertThat(s).isEmpty();
      }
      assertThat(leftoverTemps()).isEmpty();
      // the session is still usable
      assertThat(m.putAll(List.of(BytesPut.of("ok-batch/g", "g"), BytesPut.of("ok-batch/h", "h")))).allMatch(PutResult::ok);
    }
  }

  /**
   * Reads from the start take OPEN, then FSTAT + the first READ together; a file longer than that read
   * goes on in MINA's stream. Sizes around the read size (255 KiB) and a session that keeps serving
   * other requests after each read, whether the stream was read to the end or closed early.
   */
  @Test
  @Order(60)
  void readsAroundTheFirstReadSizeArriveWholeAndLeaveTheSessionClean() throws Exception {
    int chunk = 255 * 1024;
    int[] sizes = {0, 1, 10 * 1024, chunk - 1, chunk, chunk + 1, 3 * chunk + 7};
    Path dir = Files.createDirectories(sshd.home().resolve("reads"));
    for (int size : sizes) Files.write(dir.resolve(size + ".bin"), random(size));
    try (TransferModule m = connected(Map.of())) {
      for (int round = 0; round < 2; round++) {
        for (int size : sizes) {
          try (InputStream in = m.get("reads/" + size + ".bin", 0)) {
            assertThat(in.readAllBytes()).as(size + " bytes").isEqualTo(random(size));
          }
          assertThat(m.size("reads/" + size + ".bin")).isEqualTo(size);
        }
      }
      try (InputStream in = m.get("reads/" + (3 * chunk + 7) + ".bin", 0)) {
        assertThat(in.readNBytes(100)).isEqualTo(java.util.Arrays.copyOf(random(3 * chunk + 7), 100));
      } // closed before the end
      try (InputStream in = m.get("reads/" + (chunk - 1) + ".bin", 0)) {
        assertThat(in.read()).isEqualTo(random(chunk - 1)[0] & 0xff);
      }
      assertThatThrownBy(() -> m.get("reads/missing.bin", 0)).isInstanceOf(TransferException.class)
          .satisfies(e -> assertThat(((TransferException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
      assertThat(m.list("reads")).hasSize(sizes.length);
      try (InputStream in = m.get("reads/10240.bin", 0)) {
        assertThat(in.readAllBytes()).isEqualTo(random(10 * 1024));
      }
    }
  }

  private static String hostKeyFingerprint() throws Exception {
    Path pub = sshd.log().getParent().resolve("ssh_host_ed25519_key.pub");
    Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", pub.toString()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.split("\\s+")[1];
  }

  private static List<Path> leftoverTemps() throws IOException {
    try (Stream<Path> s = Files.walk(sshd.home())) {
      return s.filter(p -> p.getFileName().toString().endsWith(SftpModule.TMP_SUFFIX)).toList();
    }
  }
}
