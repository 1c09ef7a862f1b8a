package org.ecpds.mover.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.mover.link.StoredReporter;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.upload.UploadServer;
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another mover's reads of stored content: token bound to the file, ranges, refusals. */
class PeerReadHandlerTest {
  private static final String SECRET = "peer-secret";
  @TempDir Path dir;
  private UploadServer server;
  private HttpClient client;
  private final byte[] content = new byte[300_000];

  @BeforeEach
  void start() throws Exception {
    new Random(7).nextBytes(content);
    TlsMaterial tls = TlsMaterial.generate(List.of("127.0.0.1"));
    DataStore store = DataStore.open(List.of(dir.resolve("vol")));
    store.store(11, new ByteArrayInputStream(content), content.length);
    StoredReporter none = new StoredReporter() {
      @Override
      public boolean isConnected() {
        return true;
      }

      @Override
      public CompletableFuture<StoredAck> reportStored(Stored stored) {
        return CompletableFuture.completedFuture(StoredAck.newBuilder().setOk(true).build());
      }
    };
    server = new UploadServer("127.0.0.1", 0, tls, store, new UploadTokens(SECRET), none, Duration.ofSeconds(5),
        "mover-p", new org.ecpds.common.auth.LoginGuard(org.ecpds.common.auth.LoginGuard.DEFAULTS,
            java.time.Clock.systemUTC()), UploadTokens.peerReads(SECRET));
    server.start();
    client = HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(tls.certificatePem()))).build();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<byte[]> get(long id, String token, String range) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url("127.0.0.1") + "/data/" + id));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (range != null) b.header("Range", range);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String token(UploadTokens t, long id) {
    return t.issue(id, System.currentTimeMillis() + 60_000);
  }

  @Test
  void servesTheWholeFileAndSingleRanges() throws Exception {
    UploadTokens peers = UploadTokens.peerReads(SECRET);
    HttpResponse<byte[]> all = get(11, token(peers, 11), null);
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body()).isEqualTo(content);
    HttpResponse<byte[]> tail = get(11, token(peers, 11), "bytes=100000-");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes 100000-299999/300000");
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(content, 100_000, content.length));
    HttpResponse<byte[]> middle = get(11, token(peers, 11), "bytes=10-19");
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
    assertThat(get(11, token(peers, 11), "bytes=300000-").statusCode()).isEqualTo(416);
  }

  @Test
  void refusesMissingForeignAndUploadTokensAndFilesNotHeld() throws Exception {
    UploadTokens peers = UploadTokens.peerReads(SECRET);
    assertThat(get(11, null, null).statusCode()).isEqualTo(401);
    assertThat(get(11, token(new UploadTokens(SECRET), 11), null).statusCode()).as("an upload token is not a read token").isEqualTo(401);
    assertThat(get(11, token(UploadTokens.peerReads("other-cluster"), 11), null).statusCode()).isEqualTo(401);
    assertThat(get(11, token(peers, 12), null).statusCode()).as("token bound to another file").isEqualTo(401);
    assertThat(get(11, peers.issue(11, System.currentTimeMillis() - 1), null).statusCode()).as("expired").isEqualTo(401);
    assertThat(get(12, token(peers, 12), null).statusCode()).isEqualTo(404);
  }
}
