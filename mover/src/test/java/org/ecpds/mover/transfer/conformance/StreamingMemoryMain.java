package org.ecpds.mover.transfer.conformance;

import java.io.InputStream;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.HostSpec;

/**
 * Run in a child JVM with a small heap by {@link StreamingMemoryTest}: for every conformance
 * fixture, puts N bytes (default 2 GiB) from a generated stream and gets them back, comparing byte
 * counts and CRC32C checksums. Exit status 0 only if every fixture passed.
 */
public final class StreamingMemoryMain {
  private StreamingMemoryMain() {}

  public static void main(String[] args) {
    long bytes = args.length > 0 ? Long.parseLong(args[0]) : 2L << 30;
    int failures = 0;
    for (Supplier<ServerFixture> supplier : Fixtures.all()) {
      ServerFixture f = null;
      String name = "?";
      try {
        f = supplier.get();
        name = f.name();
        roundTrip(f, bytes);
      } catch (Exception | AssertionError e) {
        failures++;
        System.out.println("FAIL " + name + ": " + e);
        e.printStackTrace(System.out);
      } finally {
        if (f != null) f.close();
      }
    }
    System.out.println(failures == 0 ? "ALL OK" : failures + " fixture(s) failed");
    System.exit(failures == 0 ? 0 : 1);
  }

  private static void roundTrip(ServerFixture f, long bytes) throws Exception {
    String path = "memtest/huge.bin";
    HostSpec h = f.host();
    try (TransferModule m = f.factory().create()) {
      m.connect(h, h.getOptionsMap());
      CheckedInputStream src = new CheckedInputStream(new FastStream(bytes), new CRC32C());
      long t0 = System.nanoTime();
      long put = m.put(src, bytes, path, n -> { });
      long t1 = System.nanoTime();
      if (put != bytes) throw new AssertionError("put " + put + " bytes, expected " + bytes);
      CRC32C back = new CRC32C();
      long got = 0;
      try (InputStream in = m.get(path, 0)) {
        byte[] buf = new byte[256 * 1024];
        for (int n; (n = in.read(buf)) >= 0; ) {
          back.update(buf, 0, n);
          got += n;
        }
      }
      long t2 = System.nanoTime();
      m.delete(path);
      if (got != bytes) throw new AssertionError("got " + got + " bytes back, expected " + bytes);
      if (back.getValue() != src.getChecksum().getValue()) throw new AssertionError("checksum differs after the round trip");
      Runtime rt = Runtime.getRuntime();
      System.out.printf(Locale.ROOT, "OK %s: %d MiB put %.1f s (%.0f MiB/s), get %.1f s (%.0f MiB/s); heap used %d MiB of max %d MiB%n",
          f.name(), bytes >> 20, (t1 - t0) / 1e9, (bytes >> 20) / ((t1 - t0) / 1e9), (t2 - t1) / 1e9,
          (bytes >> 20) / ((t2 - t1) / 1e9), (rt.totalMemory() - rt.freeMemory()) >> 20, rt.maxMemory() >> 20);
    }
  }

  /** Pseudo-random bytes at GB/s (java.util.Random would cap the put at ~100 MiB/s). */
  static final class FastStream extends InputStream {
    private final java.nio.ByteBuffer block = java.nio.ByteBuffer.allocate(64 * 1024);
    private long left;
    private long state = 0x9E3779B97F4A7C15L;

    FastStream(long size) {
      this.left = size;
      block.position(block.limit());
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) return -1;
      if (!block.hasRemaining()) {
        block.clear();
        while (block.hasRemaining()) { // xorshift64
          state ^= state << 13;
          state ^= state >>> 7;
          state ^= state << 17;
          block.putLong(state);
        }
        block.flip();
      }
      int n = (int) Math.min(Math.min(len, block.remaining()), left);
      block.get(b, off, n);
      left -= n;
      return n;
    }
  }
}
