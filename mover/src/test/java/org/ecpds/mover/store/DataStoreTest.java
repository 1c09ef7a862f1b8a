package org.ecpds.mover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataStoreTest {
  @TempDir Path dir;

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void aTempFileIsPublishedUnderItsIdOnceAndOnlyOnce() throws Exception {
    DataStore store = DataStore.open(List.of(dir.resolve("v1")));
    byte[] content = random(100_000, 3);
    Path temp = store.newTempFile();
    Files.write(temp, content);
    StoredFile f = store.publish(42, temp, content.length, sha256(content));
    assertThat(f.sha256()).isEqualTo(sha256(content));
    assertThat(Files.readAllBytes(store.locate(42).orElseThrow())).isEqualTo(content);
    assertThat(temp).doesNotExist();
    Path again = store.newTempFile();
    Files.write(again, content);
    assertThatThrownBy(() -> store.publish(42, again, content.length, "x")).isInstanceOf(AlreadyStoredException.class);
    assertThatThrownBy(() -> store.publish(43, again, 1, "x")).isInstanceOf(SizeMismatchException.class);
    assertThat(store.locate(43)).isEmpty();
    assertThatThrownBy(() -> store.publish(44, Files.createFile(dir.resolve("elsewhere")), 0, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    // a temp file left by a crash is gone when the store opens again
    DataStore.open(List.of(dir.resolve("v1")));
    assertThat(again).doesNotExist();
  }

  @Test
  void storesContentAndChecksumAcrossBufferBoundaries() throws Exception {
    DataStore store = DataStore.open(List.of(dir.resolve("v0")));
    byte[] content = random(3 * 1024 * 1024 + 17, 1);

    StoredFile f = store.store(42, new ByteArrayInputStream(content), content.length);

    assertThat(f.size()).isEqualTo(content.length);
    assertThat(f.sha256()).isEqualTo(sha256(content));
    assertThat(f.path()).startsWith(dir.resolve("v0").toAbsolutePath());
    assertThat(Files.readAllBytes(store.locate(42).orElseThrow())).isEqualTo(content);
    try (InputStream in = store.openRead(42, 1000)) {
      assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 1000, content.length));
    }
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void unknownSizeIsAccepted() throws Exception {
    DataStore store = DataStore.open(List.of(dir));
    StoredFile f = store.store(7, new ByteArrayInputStream(new byte[0]), -1);
    assertThat(f.size()).isZero();
    assertThat(f.sha256()).isEqualTo(sha256(new byte[0]));
    for (int n : new int[] {10 * 1024, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 17}) { // around the buffer sizes
      byte[] content = random(n, n);
      StoredFile g = store.store(1000 + n, new ByteArrayInputStream(content), -1);
      assertThat(g.size()).as("%d bytes", n).isEqualTo(n);
      assertThat(g.sha256()).isEqualTo(sha256(content));
      assertThat(Files.readAllBytes(store.locate(1000 + n).orElseThrow())).isEqualTo(content);
    }
  }

  @Test
  void failingInputLeavesNeitherFinalNorTempFile() throws Exception {
    DataStore store = DataStore.open(List.of(dir));
    InputStream breaksMidway = new InputStream() {
      int served;

      @Override
      public int read() throws IOException {
        if (served++ > 2_000_000) throw new IOException("client went away");
        return 'x';
      }
    };

    assertThatThrownBy(() -> store.store(5, breaksMidway, -1)).hasMessageContaining("client went away");

    assertThat(store.locate(5)).isEmpty();
    assertThat(store.heldIds()).isEmpty();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void anAnnouncedSizeNoVolumeCanHoldIsRefusedBeforeAnyByteIsRead() throws Exception {
    DataStore store = DataStore.open(List.of(dir.resolve("v0"), dir.resolve("v1")));
    long free = dir.toFile().getUsableSpace();
    InputStream mustNotBeRead = new InputStream() {
      @Override
      public int read() {
        throw new AssertionError("the content was read although it cannot fit");
      }
    };

    assertThatThrownBy(() -> store.store(11, mustNotBeRead, free + (1L << 40)))
        .isInstanceOf(InsufficientSpaceException.class).hasMessageContaining("no room for data file 11");

    assertThat(store.locate(11)).isEmpty();
    assertThat(tempFiles()).isEmpty();
    store.ensureRoom(12, 1024); // what fits passes
    store.ensureRoom(13, -1); // an unknown size cannot be checked in advance
  }

  @Test
  void aSourceLongerThanAnnouncedIsRejectedAndNothingKept() throws Exception {
    DataStore store = DataStore.open(List.of(dir)); // the buffer is sized from the announced 100 bytes
    assertThatThrownBy(() -> store.store(10, new ByteArrayInputStream(random(250, 3)), 100))
        .isInstanceOf(SizeMismatchException.class);
    assertThat(store.locate(10)).isEmpty();
    assertThat(tempFiles()).isEmpty();
    byte[] exact = random(100, 4); // and the announced size itself is stored whole
    assertThat(store.store(11, new ByteArrayInputStream(exact), 100).sha256()).isEqualTo(sha256(exact));
  }

  @Test
  void sizeMismatchIsRejectedAndNothingKept() throws Exception {
    DataStore store = DataStore.open(List.of(dir));
    assertThatThrownBy(() -> store.store(9, new ByteArrayInputStream(new byte[100]), 101))
        .isInstanceOf(SizeMismatchException.class);
    assertThat(store.locate(9)).isEmpty();
    assertThat(tempFiles()).isEmpty();
  }

  @Test
  void neverOverwritesAStoredFile() throws Exception {
    DataStore store = DataStore.open(List.of(dir));
    store.store(11, new ByteArrayInputStream("first".getBytes()), 5);

    assertThatThrownBy(() -> store.store(11, new ByteArrayInputStream("second".getBytes()), 6))
        .isInstanceOf(AlreadyStoredException.class);
    assertThat(Files.readString(store.locate(11).orElseThrow())).isEqualTo("first");
  }

  @Test
  void restartFindsHeldFilesAndRemovesLeftoverTemps() throws Exception {
    List<Path> vols = List.of(dir.resolve("a"), dir.resolve("b"));
    DataStore store = DataStore.open(vols);
    for (long id : new long[] {1, 256, 70_000, 9_000_000_000L}) {
      store.store(id, new ByteArrayInputStream(new byte[] {1, 2, 3}), 3);
    }
    Path crashed = dir.resolve("a").resolve(DataStore.TMP).resolve("3.partial.part");
    Files.write(crashed, new byte[10]);

    DataStore reopened = DataStore.open(vols);

    assertThat(reopened.heldIds()).containsExactly(1L, 256L, 70_000L, 9_000_000_000L);
    assertThat(crashed).doesNotExist();
    assertThat(reopened.volumes()).hasSize(2).allSatisfy(v -> assertThat(v.totalBytes()).isPositive());
    assertThat(reopened.delete(256)).isTrue();
    assertThat(reopened.delete(256)).isFalse();
    assertThat(reopened.heldIds()).containsExactly(1L, 70_000L, 9_000_000_000L);
  }

  private List<Path> tempFiles() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().contains(DataStore.TMP) && Files.isRegularFile(p)).toList();
    }
  }
}
