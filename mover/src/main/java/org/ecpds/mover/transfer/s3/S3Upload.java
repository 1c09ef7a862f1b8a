package org.ecpds.mover.transfer.s3;

import io.minio.messages.Part;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.Sources;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.proto.ErrorKind;

/**
 * One streamed upload. A source that fits in one part is sent with a single PUT; anything larger
 * becomes a multipart upload in which the next part is read from the source while up to
 * {@code threads} earlier parts are on the wire. Memory is bounded: at most {@code threads + 1}
 * part buffers exist, allocated on demand and reused, whatever the object size.
 *
 * <p>S3 publishes an object only when its PUT or CompleteMultipartUpload succeeds, so readers never
 * see partial content under the final key and no temporary name is needed. On any failure the
 * multipart upload is aborted (best effort: if the server is gone, its parts stay invisible until
 * the bucket's lifecycle rule or an operator removes them).
 */
final class S3Upload {
  private static final int MAX_PARTS = 10_000;

  private final S3Client client;
  private final String bucket;
  private final String region;
  private final String key;
  private final int partSize;
  private final int threads;
  private final BooleanSupplier cancelled;
  private final Executor workers;
  private final BlockingQueue<byte[]> free;
  private int allocated;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ConcurrentSkipListMap<Integer, Part> done = new ConcurrentSkipListMap<>();
  private final AtomicLong acknowledged = new AtomicLong();

  S3Upload(S3Client client, String bucket, String region, String key, int partSize, int threads,
      BooleanSupplier cancelled, Executor workers) {
    this.client = client;
    this.bucket = bucket;
    this.region = region;
    this.key = key;
    this.partSize = partSize;
    this.threads = threads;
    this.cancelled = cancelled;
    this.workers = workers;
    this.free = new ArrayBlockingQueue<>(threads + 1);
  }

  /** Part size for a known object size: S3 allows at most 10,000 parts. */
  static int partSizeFor(long size, int configured) {
    if (size <= (long) configured * MAX_PARTS) return configured;
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    long rounded = ((needed + (1 << 20) - 1) >> 20) << 20;
    return (int) Math.min(S3Settings.MAX_PART, rounded);
  }

  long run(InputStream in, long size, ProgressListener progress) throws Exception {
    // a small object of known size gets a buffer of its own size (+1 to notice a longer source),
    // not a whole part: 16 MiB per 10 KiB file was all garbage and humongous allocations
    byte[] buf = size >= 0 && size + 1 < partSize ? new byte[(int) size + 1] : acquire();
    int n = Sources.fill(in, buf);
    if (n < partSize) { // the whole source fits in one request
      checkSize(n, size);
      S3Module.await(client.putBytes(bucket, region, key, buf, n));
      progress.transferred(n);
      return n;
    }
    String uploadId = S3Module.await(client.createMultipartUploadAsync(bucket, region, key, null, null))
        .result().uploadId();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    long total = 0;
    try {
      int partNumber = 0;
      while (n > 0) {
        if (++partNumber > MAX_PARTS) {
          throw new TransferException(ErrorKind.PROTOCOL, "source exceeds " + MAX_PARTS + " parts of "
              + partSize + " bytes: raise s3.partSize");
        }
        inFlight.add(uploadPart(uploadId, partNumber, buf, n));
        total += n;
        buf = acquire();
        progress.transferred(acknowledged.get());
        n = n < partSize ? 0 : Sources.fill(in, buf);
      }
      for (CompletableFuture<?> f : inFlight) S3Module.await(f);
      rethrowFailure();
      checkSize(total, size);
      Part[] parts = done.values().toArray(new Part[0]);
      S3Module.await(client.completeMultipartUploadAsync(bucket, region, key, uploadId, parts, null, null));
      progress.transferred(total);
      return total;
    } catch (Exception | Error e) {
      abort(uploadId, inFlight);
      throw e;
    }
  }

  /**
   * Sends a part from a worker thread: minio hashes the body (Content-MD5, and SHA-256 on http)
   * while building the request, which would otherwise serialise with reading the next part.
   */
  private CompletableFuture<?> uploadPart(String uploadId, int number, byte[] buf, int n) {
    try {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return client.uploadPartAsync(bucket, region, key, buf, n, uploadId, number, null, null);
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      }, workers).thenCompose(f -> f)
          .whenComplete((r, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            } else {
              done.put(number, new Part(number, r.etag()));
              acknowledged.addAndGet(n);
            }
            free.add(buf); // only now: okhttp may re-send the body until the call completes
          });
    } catch (RuntimeException e) { // rejected: the session is closing
      free.add(buf);
      throw e;
    }
  }

  /** A free part buffer: a recycled one, a new one while under the bound, or wait for an upload. */
  private byte[] acquire() throws Exception {
    while (true) {
      rethrowFailure();
      if (cancelled.getAsBoolean()) throw new TransferException(ErrorKind.CANCELLED, "upload cancelled");
      byte[] b = free.poll();
      if (b != null) return b;
      if (allocated < threads + 1) {
        allocated++;
        return new byte[partSize];
      }
      b = free.poll(200, TimeUnit.MILLISECONDS);
      if (b != null) return b;
    }
  }

  private void rethrowFailure() throws Exception {
    Throwable t = failure.get();
    if (t == null) return;
    Throwable c = S3Errors.unwrap(t);
    if (c instanceof Exception e) throw e;
    throw new IllegalStateException(c);
  }

  private static void checkSize(long got, long expected) throws TransferException {
    if (expected >= 0 && got != expected) {
      throw new TransferException(ErrorKind.LOCAL, "source gave " + got + " bytes, expected " + expected);
    }
  }

  private void abort(String uploadId, List<CompletableFuture<?>> inFlight) {
    for (CompletableFuture<?> f : inFlight) {
      try {
        f.get(5, TimeUnit.SECONDS); // let parts settle so the abort is not undone by a late part
      } catch (Exception ignored) {
        // the failure is already being reported
      }
    }
    try {
      client.abortMultipartUploadAsync(bucket, region, key, uploadId, null, null).get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // server gone or upload already gone: the parts are invisible either way
    }
  }
}
