package org.ecpds.mover.transfer.s3;

import com.google.common.collect.ImmutableMultimap;
import io.minio.MinioAsyncClient;
import io.minio.ObjectWriteResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The minio async client plus a single-request PUT straight from our own part buffer (minio's
 * public putObject would copy the stream into a second, growing buffer first).
 */
final class S3Client extends MinioAsyncClient {
  private static final ImmutableMultimap<String, String> OCTETS =
      ImmutableMultimap.of("Content-Type", "application/octet-stream");

  S3Client(MinioAsyncClient built) {
    super(built);
  }

  CompletableFuture<ObjectWriteResponse> putBytes(String bucket, String region, String key, byte[] data, int length)
      throws Exception {
    return putObjectAsync(bucket, region, key, data, length, OCTETS, null);
  }
}
