package org.ecpds.mover.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
  @TempDir Path tmp;

  @Test
  void startsOneBackgroundFlushPerStepAndFsyncsDataAndMetadataAtTheEnd() throws Exception {
    try (FileChannel file = FileChannel.open(tmp.resolve("f"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Recording ch = new Recording(file, null);
      WriteBehind w = new WriteBehind(ch, 1000);
      w.written(999);
      assertEquals(0, w.started());
      w.written(1000);
      assertTrue(ch.dataOnly.await(10, TimeUnit.SECONDS), "a data-only flush after the first step");
      w.force(); // waits for it
      assertEquals(1, w.started());
      assertEquals(1, ch.withMetadata.get());
    }
  }

  @Test
  void aFailedBackgroundFlushIsThrownByTheFinalForce() throws Exception {
    IOException failure = new IOException("write-back failed");
    try (FileChannel file = FileChannel.open(tmp.resolve("g"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Recording ch = new Recording(file, failure);
      WriteBehind w = new WriteBehind(ch, 10);
      w.written(10);
      // the kernel reports such an error to one fsync only: the final force must not lose it
      assertSame(failure, assertThrows(IOException.class, w::force));
    }
  }

  @Test
  void theDataStoreStillStoresWholeFilesWithTheirHash() throws Exception {
    DataStore store = DataStore.open(java.util.List.of(tmp.resolve("v")));
    byte[] content = new byte[(int) (WriteBehind.STEP * 2 + 12345)];
    new java.util.Random(3).nextBytes(content);
    StoredFile stored = store.store(7, new java.io.ByteArrayInputStream(content), content.length);
    assertEquals(content.length, stored.size());
    assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content)),
        stored.sha256());
    assertEquals(-1, Files.mismatch(stored.path(), writeTo(tmp.resolve("expected"), content)));
  }

  private static Path writeTo(Path p, byte[] content) throws IOException {
    return Files.write(p, content);
  }

  /** A file channel that records its flushes and can fail the data-only ones. */
  private static final class Recording extends FileChannel {
    final FileChannel d;
    final IOException failDataOnly;
    final CountDownLatch dataOnly = new CountDownLatch(1);
    final AtomicInteger withMetadata = new AtomicInteger();

    Recording(FileChannel d, IOException failDataOnly) {
      this.d = d;
      this.failDataOnly = failDataOnly;
    }

    @Override public void force(boolean metaData) throws IOException {
      if (metaData) {
        withMetadata.incrementAndGet();
      } else {
        dataOnly.countDown();
        if (failDataOnly != null) throw failDataOnly;
      }
      d.force(metaData);
    }

    @Override public int read(ByteBuffer dst) throws IOException { return d.read(dst); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { return d.read(dsts, offset, length); }
    @Override public int write(ByteBuffer src) throws IOException { return d.write(src); }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { return d.write(srcs, offset, length); }
    @Override public long position() throws IOException { return d.position(); }
    @Override public FileChannel position(long newPosition) throws IOException { d.position(newPosition); return this; }
    @Override public long size() throws IOException { return d.size(); }
    @Override public FileChannel truncate(long size) throws IOException { d.truncate(size); return this; }
    @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException { return d.transferTo(position, count, target); }
    @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException { return d.transferFrom(src, position, count); }
    @Override public int read(ByteBuffer dst, long position) throws IOException { return d.read(dst, position); }
    @Override public int write(ByteBuffer src, long position) throws IOException { return d.write(src, position); }
    @Override public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException { return d.map(mode, position, size); }
    @Override public FileLock lock(long position, long size, boolean shared) throws IOException { return d.lock(position, size, shared); }
    @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { return d.tryLock(position, size, shared); }
    @Override protected void implCloseChannel() throws IOException { d.close(); }
  }
}
