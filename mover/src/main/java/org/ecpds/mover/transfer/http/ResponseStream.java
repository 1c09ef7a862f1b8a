package org.ecpds.mover.transfer.http;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * A response body with an idle timeout and a truncation check. java.net.http reports a body
 * closed under it as a plain end of stream, so a stalled or shortened download would otherwise
 * look complete: here a read that stalls longer than the idle timeout fails NETWORK, and so does an
 * end of stream before the announced Content-Length.
 */
final class ResponseStream extends InputStream {
  private final InputStream body;
  private final long expected;
  private final String what;
  private final Duration idle;
  private final ScheduledFuture<?> watchdog;
  private final Runnable onClose;
  private volatile long lastRead = System.nanoTime();
  private volatile boolean reading;
  private volatile boolean timedOut;
  private volatile boolean closed;
  private long count;

  ResponseStream(InputStream body, long expected, String what, Duration idle, ScheduledExecutorService timer,
      Runnable onClose) {
    this.body = body;
    this.expected = expected;
    this.what = what;
    this.idle = idle;
    this.onClose = onClose;
    long period = Math.max(50, Math.min(1000, idle.toMillis() / 4));
    this.watchdog = timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  private void check() {
    if (reading && System.nanoTime() - lastRead > idle.toNanos()) {
      timedOut = true;
      close0();
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) throw closedFailure();
    if (len == 0) return 0;
    lastRead = System.nanoTime();
    reading = true;
    int n;
    try {
      n = body.read(b, off, len);
    } catch (IOException e) {
      throw failure(e);
    } finally {
      reading = false;
      lastRead = System.nanoTime();
    }
    if (closed) throw closedFailure();
    if (n < 0) {
      watchdog.cancel(false); // the body is complete: nothing left to watch, even if never closed
      if (expected >= 0 && count < expected) {
        throw new TransferException(ErrorKind.NETWORK,
            what + ": connection closed after " + count + " of " + expected + " bytes");
      }
      return -1;
    }
    count += n;
    return n;
  }

  private TransferException closedFailure() {
    return timedOut ? failure(null) : new TransferException(ErrorKind.CANCELLED, what + ": stream closed");
  }

  private TransferException failure(IOException e) {
    if (timedOut) {
      return new TransferException(ErrorKind.NETWORK, what + ": no data for " + idle.toSeconds() + "s (idle timeout)", e);
    }
    return HttpErrors.classify(what, e);
  }

  @Override
  public void close() throws IOException {
    close0();
  }

  void close0() {
    if (closed) return;
    closed = true;
    watchdog.cancel(false);
    try {
      body.close();
    } catch (IOException ignored) {
      // closing drops the connection; nothing else to do
    } finally {
      onClose.run();
    }
  }
}
