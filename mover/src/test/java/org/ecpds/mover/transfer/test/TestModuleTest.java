package org.ecpds.mover.transfer.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.junit.jupiter.api.Test;

class TestModuleTest {
  private final TestModuleFactory factory = new TestModuleFactory();

  private TransferModule connect(Map<String, String> options) throws TransferException {
    TransferModule m = factory.create();
    m.connect(HostSpec.newBuilder().setTransferMethod("test").putAllOptions(options).build(), options);
    return m;
  }

  private static long put(TransferModule m, int n) throws TransferException {
    return m.put(new ByteArrayInputStream(new byte[n]), n, "x", ProgressListener.NONE);
  }

  @Test
  void putSinksAndCountsBytes() throws Exception {
    try (TransferModule m = connect(Map.of())) {
      AtomicLong progress = new AtomicLong();
      assertThat(m.put(new ByteArrayInputStream(new byte[3_000_000]), -1, "a/b", progress::set)).isEqualTo(3_000_000);
      assertThat(progress.get()).isEqualTo(3_000_000);
      assertThat(m.list("a")).isEmpty();
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[10]), 11, "x", ProgressListener.NONE))
          .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.LOCAL);
    }
  }

  @Test
  void rateLimitsPutAndGet() throws Exception {
    try (TransferModule m = connect(Map.of("test.rate", "4000000", "test.size", "1000000"))) {
      long t0 = System.nanoTime();
      put(m, 1_000_000);
      long putMs = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      try (InputStream in = m.get("x", 0)) {
        assertThat(in.readAllBytes()).hasSize(1_000_000);
      }
      long getMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(putMs).isBetween(200L, 2_000L);
      assertThat(getMs).isBetween(200L, 2_000L);
    }
  }

  @Test
  void failsEveryNthTransferWithTheConfiguredKind() throws Exception {
    try (TransferModule m = connect(Map.of("test.errorFrequency", "3", "test.errorKind", "permission"))) {
      put(m, 100);
      put(m, 100);
      AtomicLong progress = new AtomicLong();
      assertThatThrownBy(() -> m.put(new ByteArrayInputStream(new byte[100]), 100, "x", progress::set))
          .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind())
          .isEqualTo(ErrorKind.PERMISSION);
      assertThat(progress.get()).isEqualTo(50); // fails halfway, as a real transfer would
      put(m, 100);
      put(m, 100);
      // the 6th transfer is a get: it fails halfway through the stream
      try (InputStream in = m.get("x", 0)) {
        assertThatThrownBy(in::readAllBytes).isInstanceOf(TransferException.class);
      }
    }
  }

  @Test
  void probabilityOneAlwaysFailsAndZeroNever() throws Exception {
    try (TransferModule m = connect(Map.of("test.errorsFrequency", "1.0"))) {
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> put(m, 10)).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.NETWORK);
      }
    }
    try (TransferModule m = connect(Map.of("test.errorFrequency", "0.0"))) {
      for (int i = 0; i < 5; i++) assertThat(put(m, 10)).isEqualTo(10);
    }
  }

  @Test
  void getIsDeterministicAndResumable() throws Exception {
    try (TransferModule m = connect(Map.of("test.size", "100003"))) {
      byte[] all;
      try (InputStream in = m.get("a", 0)) {
        all = in.readAllBytes();
      }
      assertThat(all).hasSize(100_003);
      assertThat(m.size("anything")).isEqualTo(100_003);
      try (InputStream in = m.get("b", 0)) {
        assertThat(in.readAllBytes()).isEqualTo(all); // same bytes whatever the path
      }
      for (int offset : new int[] {1, 7, 8, 12_345, 100_002, 100_003}) {
        try (InputStream in = m.get("a", offset)) {
          assertThat(in.readAllBytes()).as("offset " + offset).isEqualTo(Arrays.copyOfRange(all, offset, all.length));
        }
      }
      assertThat(new java.util.HashSet<>(Arrays.asList(box(all))).size()).isGreaterThan(200); // not constant
    }
  }

  @Test
  void badOptionsAreRejectedOnConnect() {
    assertThatThrownBy(() -> connect(Map.of("test.errorKind", "sometimes")))
        .isInstanceOf(TransferException.class).extracting(e -> ((TransferException) e).kind()).isEqualTo(ErrorKind.PROTOCOL);
  }

  private static Byte[] box(byte[] b) {
    Byte[] out = new Byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = b[i];
    return out;
  }
}
