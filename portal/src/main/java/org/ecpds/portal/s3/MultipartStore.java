package org.ecpds.portal.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.ecpds.portal.fs.FsPath;

/**
 * Multipart uploads in progress: their parts wait in temporary files under one directory until the
 * client completes (the parts are then written as one upload to the portal) or aborts. The bytes held
 * by all parts together are bounded; uploads left alone longer than {@link #MAX_AGE} are dropped.
 */
final class MultipartStore implements AutoCloseable {
  static final Duration MAX_AGE = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  record Part(int number, Path file, long size, String md5Hex, long modifiedMillis) {}

  static final class Upload {
    final String id;
    final String user;
    final String bucket;
    final String key;
    final FsPath path;
    final Instant initiated;
    final Path dir;
    final Map<Integer, Part> parts = new ConcurrentSkipListMap<>();
    /** rclone's x-amz-meta-mtime, given when the upload was created, applied when it completes. */
    volatile String clientMtime;
    /** The object's metadata, given when the upload was created (see {@link ObjectMetadata}). */
    volatile Map<String, String> metadata = Map.of();

    Upload(String id, String user, String bucket, String key, FsPath path, Instant initiated, Path dir) {
      this.id = id;
      this.user = user;
      this.bucket = bucket;
      this.key = key;
      this.path = path;
      this.initiated = initiated;
      this.dir = dir;
    }
  }

  private final Path root;
  private final long maxBytes;
  private final Clock clock;
  private final AtomicLong held = new AtomicLong();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  /** @param dir a directory of its own is made below it (and emptied at start) */
  MultipartStore(Path dir, long maxBytes, Clock clock) throws IOException {
    this.root = Files.createDirectories(dir.resolve("s3-multipart"));
    this.maxBytes = maxBytes;
    this.clock = clock;
    deleteBelow(root); // parts of a previous run cannot be completed any more
    Files.createDirectories(root);
  }

  Upload create(String user, String bucket, String key, FsPath path) throws IOException {
    expire();
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    Upload u = new Upload(id, user, bucket, key, path, clock.instant(), Files.createDirectory(root.resolve(id)));
    uploads.put(id, u);
    return u;
  }

  /** The user's upload for this bucket and key; NoSuchUpload otherwise. */
  Upload get(String id, String user, String bucket, String key) throws S3Exception {
    Upload u = id == null ? null : uploads.get(id);
    if (u == null || !u.user.equals(user) || !u.bucket.equals(bucket) || !u.key.equals(key)) {
      throw new S3Exception(404, "NoSuchUpload", "The specified multipart upload does not exist.");
    }
    return u;
  }

  List<Upload> list(String user, String bucket, String prefix) {
    List<Upload> out = new ArrayList<>();
    for (Upload u : uploads.values()) {
      if (u.user.equals(user) && u.bucket.equals(bucket) && u.key.startsWith(prefix == null ? "" : prefix)) out.add(u);
    }
    out.sort(Comparator.comparing((Upload u) -> u.key).thenComparing(u -> u.initiated));
    return out;
  }

  /** Stores a part from {@code body} (already checked as it is read); a part sent again replaces the first. */
  Part putPart(Upload u, int number, InputStream body, java.util.function.Supplier<String> md5) throws IOException, S3Exception {
    Path tmp = Files.createTempFile(u.dir, number + "-", ".tmp");
    long size = 0;
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = body.read(buf)) >= 0) {
          if (held.addAndGet(n) > maxBytes) {
            held.addAndGet(-n);
            throw new S3Exception(400, "EntityTooLarge", "The portal holds too many parts of multipart uploads just now; complete or abort some");
          }
          size += n;
          out.write(buf, 0, n);
        }
      }
      if (!uploads.containsKey(u.id)) throw new S3Exception(404, "NoSuchUpload", "The multipart upload was aborted.");
      Path file = u.dir.resolve(Integer.toString(number));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Part part = new Part(number, file, size, md5.get(), clock.millis());
      Part old = u.parts.put(number, part);
      if (old != null) held.addAndGet(-old.size());
      size = 0; // now held by the part
      return part;
    } finally {
      if (size > 0) held.addAndGet(-size);
      Files.deleteIfExists(tmp);
    }
  }

  /** Forgets an upload and deletes its parts (after a completion or an abort). */
  void remove(Upload u) {
    if (uploads.remove(u.id) == null) return;
    for (Part p : u.parts.values()) held.addAndGet(-p.size());
    try {
      deleteBelow(u.dir);
    } catch (IOException ignored) {
      // a leftover file is removed at the next start
    }
  }

  long heldBytes() {
    return held.get();
  }

  private void expire() {
    Instant limit = clock.instant().minus(MAX_AGE);
    for (Upload u : List.copyOf(uploads.values())) if (u.initiated.isBefore(limit)) remove(u);
  }

  private static void deleteBelow(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @Override
  public void close() {
    for (Upload u : List.copyOf(uploads.values())) remove(u);
  }
}
