package org.ecpds.mover.transfer.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.Sources;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * A request body read from the source stream only as fast as the connection takes it (one chunk
 * per unit of demand), so memory stays bounded whatever the size. Reports progress, counts bytes,
 * and remembers a source failure so that it is classified LOCAL rather than as a network error.
 * With a known size it sends exactly that many bytes and fails if the source has fewer or more.
 */
final class SourcePublisher implements Flow.Publisher<ByteBuffer> {
  private static final int CHUNK = 256 * 1024;

  private final InputStream in;
  private final long size;
  private final ProgressListener progress;
  private final Runnable activity;
  private final AtomicLong demand = new AtomicLong();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile long count;
  private volatile boolean subscribed;
  private volatile boolean done;
  private volatile TransferException failure;
  private Flow.Subscriber<? super ByteBuffer> subscriber;

  SourcePublisher(InputStream in, long size, ProgressListener progress, Runnable activity) {
    this.in = in;
    this.size = size;
    this.progress = progress;
    this.activity = activity;
  }

  long count() {
    return count;
  }

  /** Whether any byte was taken from the source: if not, the request can be retried with it. */
  boolean started() {
    return subscribed && count > 0;
  }

  TransferException failure() {
    return failure;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> s) {
    if (subscribed && count > 0) {
      // java.net.http may resubscribe to retry; a stream cannot be replayed
      s.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
      s.onError(new IOException("the source stream cannot be sent twice"));
      return;
    }
    subscribed = true;
    subscriber = s;
    s.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {
        if (n <= 0) {
          fail(new TransferException(ErrorKind.LOCAL, "bad demand " + n));
          return;
        }
        demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        drain();
      }

      @Override
      public void cancel() {
        done = true;
      }
    });
  }

  /** Emits while there is demand; reentrant calls from onNext only add demand (no recursion). */
  private void drain() {
    if (wip.getAndIncrement() != 0) return;
    int missed = 1;
    while (true) {
      while (!done && demand.get() > 0) {
        ByteBuffer next;
        try {
          next = readChunk();
        } catch (TransferException e) {
          fail(e);
          return;
        }
        if (next == null) {
          done = true;
          subscriber.onComplete();
          return;
        }
        demand.decrementAndGet();
        subscriber.onNext(next);
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) return;
    }
  }

  /** The next chunk, or null at the end. */
  private ByteBuffer readChunk() throws TransferException {
    long left = size < 0 ? CHUNK : Math.min(CHUNK, size - count);
    try {
      if (left == 0) return null; // the end was checked with the last chunk
      byte[] buf = new byte[(int) left];
      int n = in.readNBytes(buf, 0, buf.length);
      if (n == 0) {
        if (size >= 0) throw new TransferException(ErrorKind.LOCAL, "the source gave " + count + " bytes, expected " + size);
        return null;
      }
      if (size >= 0 && count + n == size && in.read() >= 0) {
        // checked before the last chunk goes out: once Content-Length bytes are sent, the server has a complete file
        throw new TransferException(ErrorKind.LOCAL, "the source has more than " + size + " bytes");
      }
      count += n;
      activity.run();
      progress.transferred(count);
      return ByteBuffer.wrap(buf, 0, n);
    } catch (TransferException e) {
      throw e;
    } catch (IOException e) {
      throw Sources.unreadable(e);
    }
  }

  private void fail(TransferException e) {
    failure = e;
    done = true;
    subscriber.onError(e);
  }
}
