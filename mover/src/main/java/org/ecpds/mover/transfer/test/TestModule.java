package org.ecpds.mover.transfer.test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ecpds.common.config.Durations;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.Sources;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * A target that stores nothing, for benchmarks and fault tests (method "test").
 *
 * <p>Options:
 * <ul>
 *   <li>{@code test.rate} (alias OpenECPDS's {@code test.bytesPerSec}) — bytes per second for put
 *       and get; default 0 = unlimited</li>
 *   <li>{@code test.errorFrequency} (alias {@code test.errorsFrequency}) — an integer N fails every
 *       Nth transfer (put or get, counted over all sessions of the mover); a fraction below 1
 *       fails each transfer with that probability; default 0 = never</li>
 *   <li>{@code test.errorKind} — the {@link ErrorKind} of injected failures (default NETWORK)</li>
 *   <li>{@code test.size} — bytes a get returns and size() reports (default 1 MiB)</li>
 *   <li>{@code test.delay} — a pause on connect, like a slow login (default 0)</li>
 * </ul>
 * put drains the stream (a failing transfer fails halfway); get generates deterministic bytes,
 * a function of the position only, so a get from an offset continues a full get exactly. list is
 * empty, and delete, mkdirs and rename do nothing.
 */
public final class TestModule implements TransferModule {
  private static final int BUFFER = 1 << 20;
  private static final long UNKNOWN_SIZE_FAIL_AT = 1 << 20;

  private final AtomicLong transfers;
  private long rate;
  private long everyN;
  private double probability;
  private ErrorKind errorKind = ErrorKind.NETWORK;
  private long size = 1 << 20;
  private volatile boolean connected;

  TestModule(AtomicLong transfers) {
    this.transfers = transfers;
  }

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    try {
      rate = Long.parseLong(first(options, "0", "test.rate", "test.bytesPerSec").trim());
      String freq = first(options, "0", "test.errorFrequency", "test.errorsFrequency").trim();
      if (freq.contains(".")) probability = Double.parseDouble(freq);
      else everyN = Long.parseLong(freq);
      errorKind = ErrorKind.valueOf(options.getOrDefault("test.errorKind", "NETWORK").trim().toUpperCase(Locale.ROOT));
      size = Long.parseLong(options.getOrDefault("test.size", String.valueOf(size)).trim());
      long delay = Durations.parse(options.getOrDefault("test.delay", "0")).toMillis();
      if (delay > 0) Thread.sleep(delay);
    } catch (IllegalArgumentException e) {
      throw new TransferException(ErrorKind.PROTOCOL, "bad test module option: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransferException(ErrorKind.CANCELLED, "interrupted while connecting");
    }
    connected = true;
  }

  private static String first(Map<String, String> options, String dflt, String... names) {
    for (String n : names) if (options.containsKey(n)) return options.get(n);
    return dflt;
  }

  /** Whether this transfer is one of the failing ones; every call counts one transfer. */
  private long failAt(long length) throws TransferException {
    ensureConnected();
    long n = transfers.incrementAndGet();
    boolean fail = everyN > 0 ? n % everyN == 0 : probability > 0 && ThreadLocalRandom.current().nextDouble() < probability;
    if (!fail) return -1;
    return length >= 0 ? length / 2 : UNKNOWN_SIZE_FAIL_AT;
  }

  private TransferException injected(long at) {
    return new TransferException(errorKind, "test module: injected " + errorKind + " failure after " + at + " bytes");
  }

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    long failAt = failAt(size);
    Throttle throttle = new Throttle(rate);
    byte[] buf = new byte[BUFFER];
    long total = 0;
    while (true) {
      int want = failAt >= 0 ? (int) Math.min(buf.length, failAt - total) : buf.length;
      if (failAt >= 0 && want == 0) throw injected(total);
      int n;
      try {
        n = in.read(buf, 0, want);
      } catch (IOException e) {
        throw Sources.unreadable(e);
      }
      if (n < 0) break;
      if (!connected) throw new TransferException(ErrorKind.CANCELLED, "test session closed during the put");
      total += n;
      progress.transferred(total);
      throttle.pace(total);
    }
    if (failAt >= 0) throw injected(total);
    if (size >= 0 && total != size) {
      throw new TransferException(ErrorKind.LOCAL, "source gave " + total + " bytes, expected " + size);
    }
    return total;
  }

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    long failAt = failAt(size);
    return new GeneratedStream(Math.max(0, offset), size, failAt >= 0 ? Math.max(failAt, offset) : -1, rate, this::injected);
  }

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    ensureConnected();
    return List.of();
  }

  @Override
  public void delete(String path) throws TransferException {
    ensureConnected();
  }

  @Override
  public void mkdirs(String directory) throws TransferException {
    ensureConnected();
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    ensureConnected();
  }

  /** What a get would return: every path "exists" with {@code test.size} bytes. */
  @Override
  public long size(String path) throws TransferException {
    ensureConnected();
    return size;
  }

  private void ensureConnected() throws TransferException {
    if (!connected) throw new TransferException(ErrorKind.LOCAL, "test session is not open");
  }

  /** Also aborts a running put (checked between blocks, like a dropped connection). */
  @Override
  public void close() {
    connected = false;
  }

  /** Sleeps so that {@code total} bytes take at least total/rate seconds since creation. */
  static final class Throttle {
    private final long rate;
    private final long start = System.nanoTime();

    Throttle(long rate) {
      this.rate = rate;
    }

    void pace(long total) throws TransferException {
      if (rate <= 0) return;
      long due = start + (long) (total * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait <= 0) return;
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TransferException(ErrorKind.CANCELLED, "interrupted");
      }
    }
  }
}
