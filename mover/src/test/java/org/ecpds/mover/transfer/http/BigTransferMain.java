package org.ecpds.mover.transfer.http;

import java.io.InputStream;
import java.util.Random;
import java.util.zip.CRC32C;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.mover.transfer.webdav.WebDavModuleFactory;
import org.ecpds.proto.HostSpec;

/**
 * Run by {@link StreamingMemoryTest} in a child JVM with a small heap: puts SIZE pseudo-random
 * bytes through the webdav module (temp + MOVE) with an unknown size (chunked) and reads them back
 * through the http module, printing both CRC32Cs (cheap: the point is memory, not the checksum). Args: port user password size.
 */
public final class BigTransferMain {
  public static void main(String[] a) throws Exception {
    long size = Long.parseLong(a[3]);
    HostSpec h = HostSpec.newBuilder().setAddress("127.0.0.1").setPort(Integer.parseInt(a[0])).setLogin(a[1])
        .setPassword(a[2]).build();
    CRC32C sent = new CRC32C();
    long t0 = System.nanoTime();
    try (WebDavModuleFactory f = new WebDavModuleFactory(); TransferModule m = f.create()) {
      m.connect(h.toBuilder().setTransferMethod("webdav").build(), h.getOptionsMap());
      long n = m.put(new Generated(size, sent), -1, "big/2g.bin", ProgressListener.NONE);
      if (n != size) throw new IllegalStateException("put " + n);
    }
    CRC32C got = new CRC32C();
    long t1 = System.nanoTime();
    try (HttpModuleFactory f = new HttpModuleFactory(); TransferModule m = f.create()) {
      m.connect(h.toBuilder().setTransferMethod("http").build(), h.getOptionsMap());
      long total = 0;
      try (InputStream in = m.get("big/2g.bin", 0)) {
        byte[] buf = new byte[1 << 20];
        for (int r; (r = in.read(buf)) > 0; ) {
          got.update(buf, 0, r);
          total += r;
        }
      }
      if (total != size) throw new IllegalStateException("got " + total);
    }
    System.out.println("sent=" + Long.toHexString(sent.getValue()) + " got=" + Long.toHexString(got.getValue())
        + " maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1 << 20)
        + String.format(" put=%.1fs get=%.1fs", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9));
  }

  /** A random 1 MiB block repeated with each copy's index stamped in, checksummed as it is read. */
  static final class Generated extends InputStream {
    private final byte[] block = new byte[1 << 20];
    private final CRC32C crc;
    private long left;
    private long pos;

    Generated(long size, CRC32C crc) {
      this.left = size;
      this.crc = crc;
      new Random(42).nextBytes(block);
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left <= 0) return -1;
      int at = (int) (pos % block.length);
      if (at == 0) {
        long index = pos / block.length;
        for (int i = 0; i < 8; i++) block[i] = (byte) (index >>> (8 * i));
      }
      int n = (int) Math.min(Math.min(len, left), block.length - at);
      System.arraycopy(block, at, b, off, n);
      crc.update(b, off, n);
      left -= n;
      pos += n;
      return n;
    }
  }
}
