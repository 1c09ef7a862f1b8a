package org.ecpds.mover.transfer.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.Resumable;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * One suite, every module: the same scenarios run against each fixture's real server. A module
 * joins by adding its fixture to {@link Fixtures}.
 */
class ConformanceTest {
  private static final List<ServerFixture> STARTED = new ArrayList<>();
  private static final long BIG = 100L * 1024 * 1024;

  @AfterAll
  static void stopServers() {
    STARTED.forEach(ServerFixture::close);
  }

  @TestFactory
  Stream<DynamicNode> everyModule() {
    return Fixtures.all().stream().map(this::suite);
  }

  private DynamicNode suite(Supplier<ServerFixture> supplier) {
    AtomicReference<ServerFixture> holder = new AtomicReference<>();
    Supplier<ServerFixture> f = () -> {
      if (holder.get() == null) {
        ServerFixture fixture = supplier.get();
        STARTED.add(fixture);
        holder.set(fixture);
      }
      return holder.get();
    };
    String name = probeName(supplier);
    return DynamicContainer.dynamicContainer(name, Stream.of(
        test("empty file", () -> roundTrip(f.get(), "conf/empty.bin", new byte[0])),
        test("small file", () -> roundTrip(f.get(), "conf/small.txt", "hello ecpds\n".getBytes(StandardCharsets.UTF_8))),
        test("binary 100 MB", () -> bigRoundTrip(f.get())),
        test("name with spaces and non-ASCII", () -> roundTrip(f.get(), "conf/a file é ü 名.bin", random(4096, 2))),
        test("nested directories created on demand", () -> roundTrip(f.get(), "conf/n1/n2/n3/deep.bin", random(1000, 3))),
        test("overwrite", () -> overwrite(f.get())),
        test("get from an offset (resume)", () -> resume(f.get())),
        test("put resumes a partial copy left by a failed attempt", () -> resumePut(f.get())),
        test("size", () -> size(f.get())),
        test("listing of 1,001 entries", () -> listing(f.get())),
        test("delete", () -> delete(f.get())),
        test("rename and mkdirs", () -> renameAndMkdirs(f.get())),
        test("reader never sees a partial file", () -> noPartialFile(f.get())),
        test("wrong password is AUTHENTICATION", () -> wrongPassword(f.get())),
        test("connection cut mid-transfer", () -> cutMidTransfer(f.get())),
        test("server stopped is NETWORK within the timeout", () -> serverStopped(f.get()))));
  }

  private static String probeName(Supplier<ServerFixture> supplier) {
    // the name is needed before the server starts; fixtures are named after their class
    String cls = supplier.toString();
    return cls.contains("$$Lambda") ? cls.substring(cls.lastIndexOf('.') + 1, cls.indexOf("$$")) : cls;
  }

  private static DynamicTest test(String name, Executable body) {
    return DynamicTest.dynamicTest(name, body);
  }

  // ------------------------------------------------------------------ scenarios

  private void roundTrip(ServerFixture f, String path, byte[] content) throws Exception {
    try (TransferModule m = connect(f)) {
      assertThat(m.put(new ByteArrayInputStream(content), content.length, path, ProgressListener.NONE))
          .isEqualTo(content.length);
      assertThat(Files.readAllBytes(f.onDisk(path))).isEqualTo(content);
      try (InputStream in = m.get(path, 0)) {
        assertThat(in.readAllBytes()).isEqualTo(content);
      }
    }
  }

  private void bigRoundTrip(ServerFixture f) throws Exception {
    String path = "conf/big.bin";
    try (TransferModule m = connect(f)) {
      AtomicLong progress = new AtomicLong();
      assertThat(m.put(new SeededStream(BIG, 7), BIG, path, progress::set)).isEqualTo(BIG);
      assertThat(progress.get()).isEqualTo(BIG);
      String expected = sha256(new SeededStream(BIG, 7));
      assertThat(sha256(Files.newInputStream(f.onDisk(path)))).isEqualTo(expected);
      try (InputStream in = m.get(path, 0)) {
        assertThat(sha256(in)).isEqualTo(expected);
      }
      // unknown size: streamed without a length
      assertThat(m.put(new SeededStream(5_000_000, 8), -1, "conf/unknown-size.bin", ProgressListener.NONE)).isEqualTo(5_000_000);
      assertThat(sha256(Files.newInputStream(f.onDisk("conf/unknown-size.bin")))).isEqualTo(sha256(new SeededStream(5_000_000, 8)));
    }
  }

  private void overwrite(ServerFixture f) throws Exception {
    try (TransferModule m = connect(f)) {
      m.put(new ByteArrayInputStream(random(10_000, 4)), 10_000, "conf/over.bin", ProgressListener.NONE);
      byte[] second = random(3_000, 5);
      m.put(new ByteArrayInputStream(second), second.length, "conf/over.bin", ProgressListener.NONE);
      assertThat(Files.readAllBytes(f.onDisk("conf/over.bin"))).isEqualTo(second);
    }
  }

  private void resume(ServerFixture f) throws Exception {
    byte[] content = random(200_000, 6);
    try (TransferModule m = connect(f)) {
      m.put(new ByteArrayInputStream(content), content.length, "conf/resume.bin", ProgressListener.NONE);
      try (InputStream in = m.get("conf/resume.bin", 123_456)) {
        byte[] tail = in.readAllBytes();
        assertThat(tail).hasSize(content.length - 123_456);
        assertThat(tail).isEqualTo(java.util.Arrays.copyOfRange(content, 123_456, content.length));
      }
    }
  }

  /**
   * Resumable modules: an attempt whose source fails halfway leaves its partial copy (and no final
   * name); the next attempt continues from the partial's size and the result is byte-identical.
   */
  private void resumePut(ServerFixture f) throws Exception {
    try (TransferModule probe = f.factory().create()) {
      assumeTrue(probe instanceof Resumable, f.name() + " does not resume (a full put is sent instead)");
    }
    byte[] content = random(3 * 1024 * 1024 + 123, 21);
    String path = "conf/resumed/r.bin";
    try (TransferModule m = connect(f)) {
      Resumable r = (Resumable) m;
      assertThat(r.partialSize(path)).isZero();
      InputStream failing = new FailingAfter(content, content.length / 2);
      assertThatThrownBy(() -> r.resume(failing, content.length, 0, path, ProgressListener.NONE))
          .isInstanceOfSatisfying(TransferException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.LOCAL));
    }
    assertThat(f.onDisk(path)).doesNotExist();
    try (TransferModule m = connect(f)) { // a new session, as after a mover restart
      Resumable r = (Resumable) m;
      long offset = r.partialSize(path);
      assertThat(offset).isPositive().isLessThanOrEqualTo(content.length / 2);
      AtomicLong progress = new AtomicLong();
      long sent = r.resume(new ByteArrayInputStream(content, (int) offset, content.length - (int) offset),
          content.length, offset, path, progress::set);
      assertThat(sent).isEqualTo(content.length - offset);
      assertThat(progress.get()).isEqualTo(sent);
      assertThat(sha256(Files.newInputStream(f.onDisk(path)))).isEqualTo(sha256(new ByteArrayInputStream(content)));
      assertThat(r.partialSize(path)).isZero();
    }
  }

  /** The content up to {@code failAt}, then an IOException (a local read error mid-transfer). */
  private static final class FailingAfter extends InputStream {
    private final ByteArrayInputStream in;
    private int left;

    FailingAfter(byte[] content, int failAt) {
      this.in = new ByteArrayInputStream(content);
      this.left = failAt;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) throw new IOException("disk read error (test)");
      int n = in.read(b, off, Math.min(len, left));
      left -= Math.max(0, n);
      return n;
    }
  }

  private void size(ServerFixture f) throws Exception {
    try (TransferModule m = connect(f)) {
      m.put(new ByteArrayInputStream(random(777, 9)), 777, "conf/size.bin", ProgressListener.NONE);
      assertThat(m.size("conf/size.bin")).isEqualTo(777);
      assertThat(m.size("conf/does-not-exist.bin")).isEqualTo(-1);
    }
  }

  private void listing(ServerFixture f) throws Exception {
    Path dir = f.onDisk("conf/many");
    Files.createDirectories(dir);
    for (int i = 0; i < 1001; i++) Files.writeString(dir.resolve(String.format("f%04d.txt", i)), "x".repeat(i % 7));
    Files.createDirectories(dir.resolve("sub"));
    try (TransferModule m = connect(f)) {
      List<RemoteFile> entries = m.list("conf/many");
      assertThat(entries).extracting(RemoteFile::name).doesNotContain(".", "..").contains("f0000.txt", "f1000.txt");
      assertThat(entries.stream().filter(e -> !e.directory())).hasSize(1001);
      RemoteFile six = entries.stream().filter(e -> e.name().equals("f0006.txt")).findFirst().orElseThrow();
      assertThat(six.size()).isEqualTo(6);
      assertThat(six.modifiedMillis()).isGreaterThan(System.currentTimeMillis() - 3_600_000);
    }
  }

  private void delete(ServerFixture f) throws Exception {
    try (TransferModule m = connect(f)) {
      m.put(new ByteArrayInputStream(random(100, 10)), 100, "conf/del.bin", ProgressListener.NONE);
      m.delete("conf/del.bin");
      assertThat(f.onDisk("conf/del.bin")).doesNotExist();
      assertThatThrownBy(() -> m.delete("conf/del.bin")).isInstanceOf(TransferException.class)
          .satisfies(e -> assertThat(((TransferException) e).kind()).as(e.getMessage()).isEqualTo(ErrorKind.NOT_FOUND));
    }
  }

  private void renameAndMkdirs(ServerFixture f) throws Exception {
    assumeTrue(f.canRenameAndMkdirs(), f.name() + " has no rename or directories (see ServerFixture)");
    try (TransferModule m = connect(f)) {
      m.mkdirs("conf/made/here");
      if (f.hasDirectories()) assertThat(f.onDisk("conf/made/here")).isDirectory();
      m.put(new ByteArrayInputStream(random(50, 11)), 50, "conf/made/a.bin", ProgressListener.NONE);
      m.rename("conf/made/a.bin", "conf/made/here/b.bin");
      assertThat(f.onDisk("conf/made/a.bin")).doesNotExist();
      assertThat(f.onDisk("conf/made/here/b.bin")).hasSize(50);
    }
  }

  private void noPartialFile(ServerFixture f) throws Exception {
    String path = "conf/watched.bin";
    Path target = f.onDisk(path);
    CompletableFuture<Long> put = CompletableFuture.supplyAsync(() -> {
      try (TransferModule m = connect(f)) {
        return m.put(new SeededStream(BIG / 2, 12), BIG / 2, path, ProgressListener.NONE);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    List<Long> seen = new ArrayList<>();
    while (!put.isDone()) {
      if (Files.exists(target)) {
        try {
          seen.add(Files.size(target));
        } catch (IOException renamedAway) {
          // fine
        }
      }
    }
    assertThat(put.get()).isEqualTo(BIG / 2);
    assertThat(seen).allMatch(s -> s == BIG / 2);
  }

  private void wrongPassword(ServerFixture f) throws Exception {
    assumeTrue(f.authenticates(), f.name() + " has no login");
    try (TransferModule m = f.factory().create()) {
      HostSpec bad = f.wrongPassword();
      assertThatThrownBy(() -> {
        m.connect(bad, bad.getOptionsMap());
        m.put(new ByteArrayInputStream(new byte[1]), 1, "conf/denied.bin", ProgressListener.NONE);
      }).isInstanceOf(TransferException.class)
          .satisfies(e -> assertThat(((TransferException) e).kind()).as(e.getMessage()).isEqualTo(ErrorKind.AUTHENTICATION));
    }
    assertThat(f.onDisk("conf/denied.bin")).doesNotExist();
  }

  private void cutMidTransfer(ServerFixture f) throws Exception {
    String path = "conf/cut.bin";
    AtomicLong sent = new AtomicLong();
    CompletableFuture<Long> put = CompletableFuture.supplyAsync(() -> {
      try (TransferModule m = connect(f)) {
        return m.put(new SeededStream(BIG * 4, 13), BIG * 4, path, sent::set);
      } catch (TransferException e) {
        throw new java.util.concurrent.CompletionException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    long deadline = System.currentTimeMillis() + 60_000;
    while (sent.get() < 20L * 1024 * 1024 && !put.isDone() && System.currentTimeMillis() < deadline) Thread.sleep(5);
    f.stop();
    try {
      assertThatThrownBy(() -> put.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(TransferException.class)
          .satisfies(e -> assertThat(((TransferException) e.getCause()).kind()).as(e.getCause().getMessage())
              .isEqualTo(ErrorKind.NETWORK));
      assertThat(f.onDisk(path)).doesNotExist();
    } finally {
      f.restart();
    }
  }

  private void serverStopped(ServerFixture f) throws Exception {
    f.stop();
    try (TransferModule m = f.factory().create()) {
      long start = System.nanoTime();
      HostSpec h = f.host();
      assertThatThrownBy(() -> {
        m.connect(h, h.getOptionsMap());
        m.put(new ByteArrayInputStream(new byte[1]), 1, "conf/nothing.bin", ProgressListener.NONE);
      }).isInstanceOf(TransferException.class)
          .satisfies(e -> assertThat(((TransferException) e).kind()).as(e.getMessage()).isEqualTo(ErrorKind.NETWORK));
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(15);
    } finally {
      f.restart();
    }
  }

  // ------------------------------------------------------------------ helpers

  private static TransferModule connect(ServerFixture f) throws TransferException {
    TransferModule m = f.factory().create();
    HostSpec h = f.host();
    Map<String, String> options = h.getOptionsMap();
    m.connect(h, options);
    return m;
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(InputStream in) throws Exception {
    try (in) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    }
  }

  /** Deterministic pseudo-random bytes of a given length, generated on the fly (no big buffers). */
  static final class SeededStream extends InputStream {
    private final Random random;
    private long left;
    private final byte[] block = new byte[64 * 1024];
    private int pos = block.length;

    SeededStream(long size, long seed) {
      this.left = size;
      this.random = new Random(seed);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) return -1;
      if (pos == block.length) {
        random.nextBytes(block);
        pos = 0;
      }
      int n = (int) Math.min(Math.min(len, block.length - pos), left);
      System.arraycopy(block, pos, b, off, n);
      pos += n;
      left -= n;
      return n;
    }
  }
}
