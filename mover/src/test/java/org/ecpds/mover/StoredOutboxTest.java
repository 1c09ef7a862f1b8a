package org.ecpds.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.config.Config;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.proto.MoverMessage;
import org.ecpds.testkit.Conditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored upload whose ack does not come in time stays on the mover and its report is delivered
 * later: after a reconnect, after a passing failure, after a restart of the mover. Only a refusal for
 * good removes the content. A real MoverNode against the fake master, with a short ack timeout.
 */
class StoredOutboxTest {
  static final String SECRET = "test-cluster-secret";
  static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir Path dir;
  FakeMaster master;
  ManagedChannel channel;
  MoverNode node;
  final UploadTokens tokens = new UploadTokens(SECRET);

  @BeforeEach
  void start() throws Exception {
    String name = "master-" + UUID.randomUUID();
    master = new FakeMaster(name, SECRET).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    node = startMover();
  }

  private MoverNode startMover() throws Exception {
    Config config = Config.empty().with("mover.name", "mover-o").with("mover.dataDir", dir)
        .with("mover.upload.port", 0).with("mover.upload.bind", "127.0.0.1").with("mover.link.initialBackoff", "50ms")
        .with("mover.link.maxBackoff", "200ms").with("mover.upload.ackTimeout", "300ms").with("cluster.secret", SECRET);
    MoverNode n = new MoverNode(config, channel);
    n.start();
    assertThat(n.masterLink().awaitConnected(WAIT)).isTrue();
    return n;
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) node.close();
    if (channel != null) channel.shutdownNow();
    if (master != null) master.close();
  }

  private HttpResponse<String> upload(long id) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(PemTrust.trusting(List.of(node.uploadServer().certificatePem()))).build();
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.uploadServer().url("127.0.0.1") + "/upload/" + id))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])).timeout(WAIT)
        .header("Authorization", "Bearer " + tokens.issue(id, System.currentTimeMillis() + 60_000)).build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** Uploads while the master does not answer: 503 "pending", the content kept, the report in the outbox. */
  private void uploadWithLostAck(long id) throws Exception {
    master.silent.add(id);
    HttpResponse<String> r = upload(id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.body()).contains("\"pending\":true", "\"dataFileId\":" + id);
    assertThat(node.dataStore().locate(id)).as("content kept while the master may have recorded it").isPresent();
    assertThat(node.masterLink().outbox().isPending(id)).isTrue();
  }

  private void restartMaster() throws Exception {
    master.stop();
    master.received.clear();
    master.start();
  }

  @Test
  void anUnansweredReportIsSentAgainAfterAReconnect() throws Exception {
    uploadWithLostAck(2001);
    master.silent.remove(2001L);
    restartMaster();
    master.await(m -> m.hasStored() && m.getStored().getDataFileId() == 2001, WAIT);
    Conditions.await("report of 2001 answered", WAIT, () -> !node.masterLink().outbox().isPending(2001));
    assertThat(node.dataStore().locate(2001)).isPresent();
    assertThat(upload(2001).statusCode()).as("the content is never stored twice").isEqualTo(409);
  }

  @Test
  void aLateRefusalForGoodRemovesTheContent() throws Exception {
    uploadWithLostAck(2002);
    master.silent.remove(2002L);
    master.refuse.add(2002L);
    restartMaster();
    Conditions.await("refused content removed", WAIT, () -> node.dataStore().locate(2002).isEmpty());
    assertThat(node.masterLink().outbox().isPending(2002)).isFalse();
  }

  @Test
  void aPassingFailureIsReportedAgainOnTheSameLink() throws Exception {
    master.failing.add(2003L);
    HttpResponse<String> r = upload(2003);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
    assertThat(r.body()).contains("\"pending\":true");
    master.failing.remove(2003L);
    Conditions.await("report of 2003 accepted", WAIT, () -> !node.masterLink().outbox().isPending(2003));
    assertThat(node.dataStore().locate(2003)).isPresent();
    assertThat(node.masterLink().welcomeCount()).as("no reconnect was needed").isEqualTo(1);
  }

  @Test
  void reportsOutliveARestartOfTheMover() throws Exception {
    uploadWithLostAck(2004);
    node.close();
    master.silent.remove(2004L);
    master.received.clear();
    node = startMover();
    MoverMessage again = master.await(m -> m.hasStored() && m.getStored().getDataFileId() == 2004, WAIT);
    assertThat(again.getStored().getSize()).isEqualTo(1000);
    Conditions.await("report of 2004 answered", WAIT, () -> !node.masterLink().outbox().isPending(2004));
    assertThat(node.dataStore().locate(2004)).isPresent();
  }
}
