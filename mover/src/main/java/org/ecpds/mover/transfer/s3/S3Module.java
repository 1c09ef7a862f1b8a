package org.ecpds.mover.transfer.s3;

import io.minio.BucketExistsArgs;
import io.minio.ComposeObjectArgs;
import io.minio.ComposeSource;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.http.HttpUtils;
import io.minio.messages.Item;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.ecpds.mover.transfer.BatchPut;
import org.ecpds.mover.transfer.PutResult;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;

/**
 * S3 (AWS, MinIO, Ceph RGW, s3proxy, ...) through minio-java. Login = access key, password =
 * secret key.
 *
 * <p>Options (HostSpec.options), OpenECPDS names:
 * <ul>
 *   <li>{@code s3.url} — endpoint, e.g. {@code http://minio:9000}. Default:
 *       {@code s3.scheme}://address[:port] from the host, {@code s3.scheme} defaulting to https.</li>
 *   <li>{@code s3.bucketName} — the bucket. When unset, the first segment of every path is the
 *       bucket (OpenECPDS behaviour: "bucket/dir/file").</li>
 *   <li>{@code s3.prefix} — key prefix put before every path (a "/" is added if missing); default none.</li>
 *   <li>{@code s3.region} — signing region. Default us-east-1 for custom endpoints; for an
 *       amazonaws.com endpoint the client discovers it with GetBucketLocation.</li>
 *   <li>{@code s3.enablePathStyleAccess} — path-style URLs (http://host/bucket/key). Default true,
 *       except for amazonaws.com endpoints (virtual-host style).</li>
 *   <li>{@code s3.partSize} — multipart part size, default 16m (min 5m, S3's limit; max 1g). A bare
 *       number is MiB ("10"). Sources up to one part go in a single PUT. For a known size the part
 *       grows so that the object fits in S3's 10,000 parts; an unknown-size source is limited to
 *       10,000 × partSize (160 GiB by default).</li>
 *   <li>{@code s3.numUploadThreads} — parts hashed and uploaded in parallel, default 4 (loopback
 *       s3proxy and S3 itself serve one stream far below link speed). Heap per upload is at most
 *       (numUploadThreads + 1) × partSize (80 MiB by default): keep it well inside the mover's heap
 *       times its concurrent transfers.</li>
 *   <li>{@code s3.batchParallelism} — files of a batch ({@code scheduler.batchSize} &gt; 1) put at the same
 *       time over the session's connection pool, default 8 (1: one after the other). A file larger
 *       than one part takes its parallelism from its parts: those go one at a time.</li>
 *   <li>{@code s3.mkBucket} — create a missing bucket on first use, default false. With false no
 *       bucket-level request is ever made, so credentials limited to object operations work.</li>
 *   <li>{@code s3.sslValidation} — check the server certificate (https), default true.</li>
 *   <li>{@code s3.connectTimeout} (else {@code ectrans.connectTimeout}, 30s) and
 *       {@code s3.idleTimeout} (else {@code ectrans.idleTimeout}, 60s: longest silence while reading
 *       or writing a request).</li>
 * </ul>
 *
 * <p>Semantics where S3 differs from a file system:
 * <ul>
 *   <li>put publishes atomically (single PUT, or CompleteMultipartUpload), so no temp name is used;
 *       a failed multipart upload is aborted. Overwrite replaces the object.</li>
 *   <li>S3 has no directories: {@link #mkdirs} does nothing, put needs no parent. A listing shows
 *       the common prefixes under "dir/" as directory entries (size 0, time 0).</li>
 *   <li>S3 DELETE succeeds on a missing key, so {@link #delete} checks with HEAD first to report
 *       NOT_FOUND (a race with another deleter may still go unreported).</li>
 *   <li>{@link #rename} is a server-side copy (multipart copy above 5 GiB) followed by a delete:
 *       not atomic; a failure between the two leaves both keys.</li>
 * </ul>
 * Errors are classified by {@link S3Errors}. One client (one okhttp connection pool) per session;
 * {@link #close()} cancels running calls.
 */
public final class S3Module implements TransferModule {
  private static final long COPY_LIMIT = 5L << 30; // a single CopyObject is limited to 5 GiB

  private volatile S3Settings settings;
  private volatile S3Client client;
  private volatile OkHttpClient http;
  private volatile boolean closed;
  private ExecutorService workers;
  private ExecutorService batchWorkers;
  private final Set<String> checkedBuckets = ConcurrentHashMap.newKeySet();

  @Override
  public void connect(HostSpec host, Map<String, String> options) throws TransferException {
    S3Settings s = S3Settings.of(host, options);
    try {
      // okhttp runs at most 5 calls per host and keeps 5 idle connections: fewer than a batch's
      // puts plus a large file's parts, which would queue behind each other or reconnect
      int calls = Math.max(5, s.batchParallelism() + s.uploadThreads());
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequestsPerHost(calls);
      dispatcher.setMaxRequests(Math.max(64, calls));
      OkHttpClient h = HttpUtils.newDefaultHttpClient(s.connectTimeout().toMillis(),
          s.idleTimeout().toMillis(), s.idleTimeout().toMillis()).newBuilder()
          .dispatcher(dispatcher).connectionPool(new ConnectionPool(calls, 5, TimeUnit.MINUTES))
          .socketFactory(new NoDelaySockets()).addInterceptor(new SlicedBodies()).build();
      http = h;
      MinioAsyncClient.Builder b = MinioAsyncClient.builder().endpoint(s.endpoint())
          .credentials(host.getLogin(), host.getPassword()).httpClient(h, true);
      if (s.region() != null) b.region(s.region());
      S3Client c = new S3Client(b.build());
      if (s.pathStyle()) c.disableVirtualStyleEndpoint();
      else c.enableVirtualStyleEndpoint();
      if (!s.sslValidation()) c.ignoreCertCheck();
      settings = s;
      client = c;
      if (s.bucket() != null && s.mkBucket()) ensureBucket(s.bucket());
    } catch (TransferException e) {
      close();
      throw e;
    } catch (Exception e) {
      close();
      throw classify("cannot open S3 session to " + s.endpoint(), e);
    }
  }

  @Override
  public long put(InputStream in, long size, String targetPath, ProgressListener progress) throws TransferException {
    S3Client c = client();
    Location loc = locate(targetPath);
    try {
      if (settings.mkBucket()) ensureBucket(loc.bucket);
      int part = S3Upload.partSizeFor(size, settings.partSize());
      return new S3Upload(c, loc.bucket, settings.region(), loc.key, part, settings.uploadThreads(), () -> closed,
          workers())
          .run(in, size, progress);
    } catch (Exception e) {
      throw classify("cannot put " + loc, e);
    }
  }

  /**
   * The files of a batch go up concurrently, up to {@code s3.batchParallelism} at a time, each as
   * {@link #put} would; S3 publishes each object on its own, so they are independent. Results come
   * back in the batch's order. A file larger than one part waits for the other large ones (its
   * parts are already parallel; this bounds the part buffers to one file's). Once a put fails in a
   * way that breaks the session (network, cancelled), the files not yet started are not attempted.
   */
  @Override
  public List<PutResult> putAll(List<? extends BatchPut> puts) {
    S3Settings s = settings;
    int parallel = s == null ? 1 : Math.min(s.batchParallelism(), puts.size());
    if (parallel < 2 || closed) return TransferModule.super.putAll(puts);
    int n = puts.size();
    PutResult[] out = new PutResult[n];
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean broken = new AtomicBoolean();
    Semaphore large = new Semaphore(1);
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        BatchPut p = puts.get(i);
        if (broken.get()) {
          out[i] = PutResult.NOT_ATTEMPTED;
          continue;
        }
        boolean big = p.size() < 0 || p.size() + 1 >= s.partSize();
        if (big) large.acquireUninterruptibly();
        try {
          out[i] = putOne(p, broken);
        } finally {
          if (big) large.release();
        }
      }
    };
    List<Future<?>> helpers = new ArrayList<>(parallel - 1);
    try {
      ExecutorService pool = batchWorkers(s.batchParallelism() - 1);
      for (int t = 1; t < parallel; t++) helpers.add(pool.submit(worker));
    } catch (RejectedExecutionException e) {
      // closing: this thread alone; its puts fail as cancelled
    }
    worker.run();
    for (Future<?> f : helpers) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close(); // the others end as cancelled
      } catch (ExecutionException e) {
        throw new IllegalStateException("a batch worker failed", e.getCause());
      }
    }
    List<PutResult> results = new ArrayList<>(n);
    for (PutResult r : out) results.add(r == null ? PutResult.NOT_ATTEMPTED : r);
    return results;
  }

  /** One member as the default putAll does it; a put failure that breaks the session sets {@code broken}. */
  private PutResult putOne(BatchPut p, AtomicBoolean broken) {
    InputStream source;
    try {
      source = p.open();
    } catch (TransferException e) { // this file's own problem (e.g. cancelled): the session is fine
      return PutResult.failed(e);
    }
    try (InputStream in = source) {
      return PutResult.written(put(in, p.size(), p.targetPath(), p.progress()));
    } catch (TransferException e) {
      if (PutResult.breaksSession(e)) broken.set(true);
      return PutResult.failed(e);
    } catch (java.io.IOException e) {
      return PutResult.failed(new TransferException(ErrorKind.LOCAL, "cannot close the source: " + e, e));
    }
  }

  @Override
  public InputStream get(String path, long offset) throws TransferException {
    S3Client c = client();
    Location loc = locate(path);
    try {
      GetObjectArgs.Builder b = GetObjectArgs.builder().bucket(loc.bucket).object(loc.key);
      if (offset > 0) b.offset(offset);
      return await(c.getObject(b.build()));
    } catch (Exception e) {
      // a resume at the very end asks for an empty range, which S3 refuses (416 InvalidRange)
      if (offset > 0 && "InvalidRange".equals(S3Errors.code(e)) && size(path) == offset) {
        return InputStream.nullInputStream();
      }
      throw classify("cannot read " + loc, e);
    }
  }

  @Override
  public List<RemoteFile> list(String directory) throws TransferException {
    S3Client c = client();
    Location loc = locateDirectory(directory);
    List<RemoteFile> out = new ArrayList<>();
    try {
      // ListObjectsV2 pages at 1,000 keys; the iterator follows continuation tokens itself
      Iterable<Result<Item>> items = c.listObjects(ListObjectsArgs.builder().bucket(loc.bucket).prefix(loc.key)
          .delimiter("/").build());
      for (Result<Item> r : items) {
        Item i = r.get();
        String name = i.objectName().substring(Math.min(loc.key.length(), i.objectName().length()));
        if (name.endsWith("/")) name = name.substring(0, name.length() - 1);
        if (name.isEmpty()) continue; // the "dir/" marker object some tools create
        if (i.isDir()) out.add(new RemoteFile(name, 0, 0, true));
        else out.add(new RemoteFile(name, i.size(), i.lastModified() == null ? 0 : i.lastModified().toInstant().toEpochMilli(), false));
      }
      return out;
    } catch (Exception e) {
      throw classify("cannot list " + loc, e);
    }
  }

  @Override
  public void delete(String path) throws TransferException {
    S3Client c = client();
    Location loc = locate(path);
    try {
      await(c.statObject(StatObjectArgs.builder().bucket(loc.bucket).object(loc.key).build()));
      await(c.removeObject(RemoveObjectArgs.builder().bucket(loc.bucket).object(loc.key).build()));
    } catch (Exception e) {
      throw classify("cannot delete " + loc, e);
    }
  }

  /** S3 has no directories: keys are created with their full name, so there is nothing to do. */
  @Override
  public void mkdirs(String directory) throws TransferException {
    client();
  }

  @Override
  public void rename(String from, String to) throws TransferException {
    S3Client c = client();
    Location src = locate(from);
    Location dst = locate(to);
    if (src.equals(dst)) return;
    try {
      long size = await(c.statObject(StatObjectArgs.builder().bucket(src.bucket).object(src.key).build())).size();
      if (size > COPY_LIMIT) {
        ComposeSource source = ComposeSource.builder().bucket(src.bucket).object(src.key).build();
        await(c.composeObject(ComposeObjectArgs.builder().bucket(dst.bucket).object(dst.key)
            .sources(List.of(source)).build()));
      } else {
        CopySource source = CopySource.builder().bucket(src.bucket).object(src.key).build();
        await(c.copyObject(CopyObjectArgs.builder().bucket(dst.bucket).object(dst.key).source(source).build()));
      }
      await(c.removeObject(RemoveObjectArgs.builder().bucket(src.bucket).object(src.key).build()));
    } catch (Exception e) {
      throw classify("cannot rename " + src + " to " + dst, e);
    }
  }

  @Override
  public long size(String path) throws TransferException {
    S3Client c = client();
    Location loc = locate(path);
    try {
      return await(c.statObject(StatObjectArgs.builder().bucket(loc.bucket).object(loc.key).build())).size();
    } catch (Exception e) {
      if ("NoSuchKey".equals(S3Errors.code(e))) return -1;
      throw classify("cannot stat " + loc, e);
    }
  }

  private void ensureBucket(String bucket) throws Exception {
    if (checkedBuckets.contains(bucket)) return;
    S3Client c = client();
    if (!await(c.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()))) {
      try {
        MakeBucketArgs.Builder b = MakeBucketArgs.builder().bucket(bucket);
        if (settings.region() != null) b.region(settings.region());
        await(c.makeBucket(b.build()));
      } catch (Exception e) {
        String code = S3Errors.code(e);
        if (!"BucketAlreadyOwnedByYou".equals(code)) throw e; // another session was faster
      }
    }
    checkedBuckets.add(bucket);
  }

  /** Waits for a minio call; the failure comes back as minio threw it (unwrapped). */
  static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable c = S3Errors.unwrap(e);
      if (c instanceof Exception x) throw x;
      throw e;
    }
  }

  /** Where a path lives: bucket from s3.bucketName or the path's first segment; key = prefix + rest. */
  record Location(String bucket, String key) {
    @Override
    public String toString() {
      return "s3://" + bucket + "/" + key;
    }
  }

  Location locate(String path) throws TransferException {
    String p = clean(path);
    String bucket = settings.bucket();
    if (bucket == null) {
      int slash = p.indexOf('/');
      if (slash <= 0 || slash == p.length() - 1) {
        throw new TransferException(ErrorKind.PROTOCOL, "'" + path + "' names no object: set s3.bucketName or use bucket/key");
      }
      bucket = p.substring(0, slash);
      p = p.substring(slash + 1);
    }
    if (p.isEmpty()) throw new TransferException(ErrorKind.PROTOCOL, "empty object name");
    return new Location(bucket, settings.prefix() + p);
  }

  /** A directory as a listing prefix ending in "/" (or the bare prefix for the root). */
  private Location locateDirectory(String directory) throws TransferException {
    String p = clean(directory);
    if (p.equals(".")) p = "";
    String bucket = settings.bucket();
    if (bucket == null) {
      int slash = p.indexOf('/');
      bucket = slash < 0 ? p : p.substring(0, slash);
      p = slash < 0 ? "" : p.substring(slash + 1);
      if (bucket.isEmpty()) throw new TransferException(ErrorKind.PROTOCOL, "no bucket: set s3.bucketName or list bucket/dir");
    }
    String key = settings.prefix() + p;
    return new Location(bucket, key.isEmpty() || key.endsWith("/") ? key : key + "/");
  }

  /** Keys have no leading slash; "a//b" and "a/./b" mean what a file system would make of them. */
  static String clean(String path) {
    String p = path.replace('\\', '/').replaceAll("/{2,}", "/").replaceAll("(^|/)\\./", "$1");
    while (p.startsWith("/")) p = p.substring(1);
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private TransferException classify(String what, Exception e) {
    Throwable c = S3Errors.unwrap(e);
    if (closed && !(c instanceof TransferException te && te.kind() != ErrorKind.CANCELLED)
        || c instanceof CancellationException || c instanceof InterruptedException) {
      return new TransferException(ErrorKind.CANCELLED, what + ": session closed (cancelled)", e);
    }
    return S3Errors.classify(what, e);
  }

  /** Threads that run a batch's puts beside the caller's; created on the first batch. */
  private synchronized ExecutorService batchWorkers(int size) {
    if (closed) throw new RejectedExecutionException("session closed");
    if (batchWorkers == null) {
      AtomicInteger n = new AtomicInteger();
      batchWorkers = Executors.newFixedThreadPool(size, r -> {
        Thread t = new Thread(r, "s3-batch-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return batchWorkers;
  }

  /** Threads that build (hash) and send parts; created on the first multipart upload. */
  private synchronized ExecutorService workers() {
    if (workers == null) {
      AtomicInteger n = new AtomicInteger();
      workers = Executors.newFixedThreadPool(settings.uploadThreads(), r -> {
        Thread t = new Thread(r, "s3-part-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return workers;
  }

  private S3Client client() throws TransferException {
    S3Client c = client;
    if (c == null || closed) throw new TransferException(ErrorKind.LOCAL, "S3 session is not open");
    return c;
  }

  /** Safe from any thread: cancels running calls and drops the connections. */
  @Override
  public void close() {
    closed = true;
    OkHttpClient h = http;
    if (h != null) {
      h.dispatcher().cancelAll();
      h.dispatcher().executorService().shutdown();
      h.connectionPool().evictAll();
    }
    synchronized (this) {
      // not shutdownNow: a queued part must still run, so that its future fails (the dispatcher
      // refuses it) instead of never completing under a waiting put
      if (workers != null) workers.shutdown();
      if (batchWorkers != null) batchWorkers.shutdown(); // their running puts end as cancelled (calls cancelled above)
    }
  }
}
