package org.ecpds.mover.transfer.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.errors.ErrorResponseException;
import io.minio.messages.ErrorResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.BytesPut;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;

/** What the conformance suite does not cover: S3-specific options, part boundaries, errors, heap. */
class S3ModuleTest {
  private static final String BUCKET = "unit";
  private static S3ProxyServer s3;

  @BeforeAll
  static void start() {
    s3 = S3ProxyServer.start(BUCKET);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) s3.close();
  }

  private static HostSpec host(String... options) {
    HostSpec.Builder b = HostSpec.newBuilder().setTransferMethod("s3").setAddress("127.0.0.1").setPort(s3.port())
        .setLogin(s3.accessKey()).setPassword(s3.secretKey()).putOptions("s3.scheme", "http")
        .putOptions("ectrans.connectTimeout", "5s");
    for (int i = 0; i < options.length; i += 2) b.putOptions(options[i], options[i + 1]);
    return b.build();
  }

  private static void session(HostSpec h, ThrowingConsumer<TransferModule> body) throws Throwable {
    try (TransferModule m = new S3ModuleFactory().create()) {
      m.connect(h, h.getOptionsMap());
      body.accept(m);
    }
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void partBoundariesAndParallelParts() throws Throwable {
    int part = 5 << 20;
    session(host("s3.bucketName", BUCKET, "s3.partSize", "5", "s3.numUploadThreads", "3"), m -> {
      for (int size : new int[] {part - 1, part, part + 1, 3 * part + 17}) {
        for (long declared : new long[] {size, -1}) {
          byte[] content = random(size, size);
          String key = "parts/" + size + "-" + declared + ".bin";
          assertThat(m.put(new ByteArrayInputStream(content), declared, key, ProgressListener.NONE)).isEqualTo(size);
          assertThat(Files.readAllBytes(s3.object(BUCKET, key))).as(key).isEqualTo(content);
        }
      }
    });
  }

  @Test
  void bucketFromFirstPathSegmentPrefixAndMkBucket() throws Throwable {
    session(host("s3.prefix", "/pre/fix", "s3.mkBucket", "true"), m -> {
      m.put(new ByteArrayInputStream(new byte[] {1, 2, 3}), 3, "made-bucket/d/x.bin", ProgressListener.NONE);
      assertThat(s3.object("made-bucket", "pre/fix/d/x.bin")).hasSize(3);
      assertThat(m.size("made-bucket/d/x.bin")).isEqualTo(3);
      assertThat(m.list("made-bucket")).containsExactly(new RemoteFile("d", 0, 0, true));
      assertThat(m.list("made-bucket/d")).extracting(RemoteFile::name, RemoteFile::size).containsExactly(
          org.assertj.core.groups.Tuple.tuple("x.bin", 3L));
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[1]), 1, "no-bucket-name", ProgressListener.NONE))
          .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.PROTOCOL);
    });
    session(host(), m -> assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[1]), 1, "missing-bucket/x", ProgressListener.NONE))
        .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }

  @Test
  void resumeAtTheEndRenameAndDeleteMissing() throws Throwable {
    session(host("s3.bucketName", BUCKET), m -> {
      m.put(new ByteArrayInputStream(random(1000, 1)), 1000, "r/a.bin", ProgressListener.NONE);
      try (InputStream in = m.get("r/a.bin", 1000)) {
        assertThat(in.readAllBytes()).isEmpty();
      }
      m.rename("r/a.bin", "r/sub/b.bin");
      assertThat(m.size("r/a.bin")).isEqualTo(-1);
      assertThat(m.size("r/sub/b.bin")).isEqualTo(1000);
      assertThat(m.list("r")).extracting(RemoteFile::name).containsExactly("sub");
      for (ThrowingRunnable op : List.<ThrowingRunnable>of(() -> m.rename("r/none", "r/other"),
          () -> m.delete("r/none"), () -> m.get("r/none", 0))) {
        assertThatThrownBy(op::run).isInstanceOf(TransferException.class)
            .extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
      }
    });
  }

  @Test
  void failingOrShortSourceIsLocalAndPublishesNothing() throws Throwable {
    session(host("s3.bucketName", BUCKET, "s3.partSize", "5m"), m -> {
      InputStream failing = new SequenceInputStream(new ByteArrayInputStream(random(12 << 20, 3)), new InputStream() {
        @Override
        public int read() throws IOException {
          throw new IOException("disk gone");
        }
      });
      assertThatThrownBy(() -> m.put(failing, -1, "bad/failing.bin", ProgressListener.NONE))
          .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.LOCAL);
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(random(11 << 20, 4)), 20 << 20, "bad/short.bin", ProgressListener.NONE))
          .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.LOCAL);
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(random(100, 4)), 200, "bad/short-single.bin", ProgressListener.NONE))
          .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.LOCAL);
      assertThat(m.list("bad")).isEmpty();
    });
  }

  @Test
  void closeFromAnotherThreadCancelsARunningPut() throws Exception {
    TransferModule m = new S3ModuleFactory().create();
    HostSpec h = host("s3.bucketName", BUCKET, "s3.partSize", "5m");
    m.connect(h, h.getOptionsMap());
    AtomicLong sent = new AtomicLong();
    CompletableFuture<Long> put = CompletableFuture.supplyAsync(() -> {
      try {
        return m.put(new BigTransferMain.Generated(1L << 30), -1, "cancel/x.bin", sent::set);
      } catch (TransferException e) {
        throw new CompletionException(e);
      }
    });
    while (sent.get() < (10 << 20) && !put.isDone()) Thread.sleep(5);
    m.close();
    assertThatThrownBy(() -> put.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(TransferException.class)
        .satisfies(e -> assertThat(((TransferException) e.getCause()).kind()).as(e.getCause().getMessage())
            .isEqualTo(ErrorKind.CANCELLED));
    assertThat(s3.object(BUCKET, "cancel/x.bin")).doesNotExist();
  }

  @Test
  void wrongAccessKeyIsAuthentication() throws Throwable {
    HostSpec h = host("s3.bucketName", BUCKET).toBuilder().setLogin("nobody").build();
    session(h, m -> {
      // HEAD: a bare 403 (no error body to tell why)
      assertThatThrownBy(() -> m.size("x"))
          .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
      // PUT: InvalidAccessKeyId in the body
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[1]), 1, "x", ProgressListener.NONE))
          .isInstanceOf(TransferException.class).hasMessageContaining("InvalidAccessKeyId")
          .extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.AUTHENTICATION);
    });
  }

  @Test
  void classification() {
    assertThat(kind("SignatureDoesNotMatch")).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(kind("InvalidAccessKeyId")).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(kind("AccessDenied")).isEqualTo(ErrorKind.PERMISSION);
    assertThat(kind("NoSuchKey")).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(kind("NoSuchBucket")).isEqualTo(ErrorKind.NOT_FOUND);
    assertThat(kind("SlowDown")).isEqualTo(ErrorKind.NETWORK);
    assertThat(kind("InvalidArgument")).isEqualTo(ErrorKind.PROTOCOL);
    assertThat(S3Errors.kindOf(new ConnectException("Connection refused"))).isEqualTo(ErrorKind.NETWORK);
    assertThat(S3Errors.kindOf(new SocketTimeoutException("timeout"))).isEqualTo(ErrorKind.NETWORK);
    assertThat(S3Errors.kindOf(new SSLHandshakeException("PKIX path building failed"))).isEqualTo(ErrorKind.AUTHENTICATION);
    assertThat(S3Errors.classify("x", new java.util.concurrent.CompletionException(new ConnectException("refused"))).kind())
        .isEqualTo(ErrorKind.NETWORK);
  }

  private static ErrorKind kind(String code) {
    return S3Errors.kindOf(new ErrorResponseException(new ErrorResponse(code, "m", "b", "k", "/", "r", "h"), null, null));
  }

  @Test
  void options() {
    assertThat(S3Settings.sizeOf("16m")).isEqualTo(16L << 20);
    assertThat(S3Settings.sizeOf("10")).isEqualTo(10L << 20);
    assertThat(S3Settings.sizeOf("1GiB")).isEqualTo(1L << 30);
    assertThat(S3Settings.sizeOf("8388608")).isEqualTo(8L << 20);
    assertThat(S3Upload.partSizeFor(-1, 16 << 20)).isEqualTo(16 << 20);
    assertThat(S3Upload.partSizeFor(500L << 30, 16 << 20)).isEqualTo(52 << 20);
    assertThat(S3Module.clean("/a//b/./c/")).isEqualTo("a/b/c");
  }

  /**
   * A batch goes up concurrently: the first four members only open once all four are opening
   * (with one put after the other the first would wait for ever, and fails at the deadline
   * instead). Results stay in the batch's order; a member that cannot open, or whose key is
   * invalid, fails alone; a member bigger than a part goes up in parts.
   */
  @Test
  void aBatchGoesUpConcurrentlyWithItsResultsInOrder() throws Throwable {
    int part = 5 << 20;
    CountDownLatch allOpening = new CountDownLatch(4);
    session(host("s3.bucketName", BUCKET, "s3.partSize", "5", "s3.batchParallelism", "4"), m -> {
      List<BatchPut> puts = new ArrayList<>();
      for (int i = 0; i < 4; i++) puts.add(new Gate(BytesPut.of("batch/gated-" + i, "gated " + i), allOpening));
      puts.add(BytesPut.refused("batch/refused", ErrorKind.CANCELLED));
      puts.add(BytesPut.of("", "no key"));
      byte[] big = random(2 * part + 3, 11);
      puts.add(new BytesPut("batch/big.bin", big, null));
      for (int i = 0; i < 12; i++) puts.add(BytesPut.of("batch/small-" + i, "x".repeat(i)));

      List<PutResult> r = m.putAll(puts);

      assertThat(r).hasSize(puts.size());
      for (int i = 0; i < 4; i++) {
        assertThat(r.get(i).ok()).as(i + ": " + r.get(i)).isTrue();
        assertThat(Files.readString(s3.object(BUCKET, "batch/gated-" + i))).isEqualTo("gated " + i);
      }
      assertThat(r.get(4).error().kind()).isEqualTo(ErrorKind.CANCELLED);
      assertThat(r.get(5).error().kind()).isEqualTo(ErrorKind.PROTOCOL);
      assertThat(r.get(6).bytes()).isEqualTo(big.length);
      assertThat(Files.readAllBytes(s3.object(BUCKET, "batch/big.bin"))).isEqualTo(big);
      for (int i = 0; i < 12; i++) {
        assertThat(r.get(7 + i).bytes()).isEqualTo(i);
        assertThat(s3.object(BUCKET, "batch/small-" + i)).hasSize(i);
      }
      assertThat(s3.object(BUCKET, "batch/refused")).doesNotExist();
      // a closed session attempts nothing
      m.close();
      assertThat(m.putAll(List.of(BytesPut.of("batch/late-1", "1"), BytesPut.of("batch/late-2", "2"))))
          .allSatisfy(x -> assertThat(x.ok()).isFalse());
    });
  }

  /** A batch member that opens only once {@code all} members are opening at the same time. */
  private record Gate(BytesPut inner, CountDownLatch all) implements BatchPut {
    @Override
    public InputStream open() throws TransferException {
      all.countDown();
      try {
        if (!all.await(30, TimeUnit.SECONDS)) throw new TransferException(ErrorKind.LOCAL, "the puts ran one after the other");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferException(ErrorKind.CANCELLED, "interrupted");
      }
      return inner.open();
    }

    @Override
    public long size() {
      return inner.size();
    }

    @Override
    public String targetPath() {
      return inner.targetPath();
    }

    @Override
    public ProgressListener progress() {
      return ProgressListener.NONE;
    }
  }

  /**
   * Put and get with an unknown size in a child JVM whose heap is far smaller than the data, with
   * the default part size and threads. By default 512 MiB under -Xmx128m (s3proxy on a loaded
   * 2-core machine writes some 40 MB/s); issue 3's 2 GiB under -Xmx256m with
   * {@code -Decpds.s3.bigSize=2g}.
   */
  @Test
  void bigTransferInASmallHeap() throws Exception {
    long size = S3Settings.sizeOf(System.getProperty("ecpds.s3.bigSize", "512m"));
    String heap = size > (1L << 30) ? "-Xmx256m" : "-Xmx128m";
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, heap, "-cp", System.getProperty("java.class.path"),
        BigTransferMain.class.getName(), s3.endpoint(), s3.accessKey(), s3.secretKey(), BUCKET, String.valueOf(size))
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      out = new String(in.readAllBytes());
    }
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    System.out.println(heap + ": " + out.lines().filter(l -> l.startsWith("put=")).findFirst().orElse(out));
    assertThat(s3.object(BUCKET, "big/big.bin")).hasSize(size);
    Files.delete(s3.object(BUCKET, "big/big.bin"));
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

}
