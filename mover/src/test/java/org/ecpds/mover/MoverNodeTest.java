package org.ecpds.mover;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.config.Config;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.proto.DeleteDataFile;
import org.ecpds.proto.Disseminate;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.Hello;
import org.ecpds.proto.HostSpec;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.MoverMessage;
import org.ecpds.proto.Stored;
import org.ecpds.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** A real MoverNode (store, link, HTTPS upload, executor) against a fake master and a real sshd. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MoverNodeTest {
  static final String SECRET = "test-cluster-secret";
  static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir static Path dir;
  static FakeMaster master;
  static ManagedChannel channel;
  static MoverNode node;
  static OpenSshServer sshd;
  static HttpClient http;
  static final UploadTokens tokens = new UploadTokens(SECRET);

  @BeforeAll
  static void start() throws Exception {
    String name = "master-" + UUID.randomUUID();
    master = new FakeMaster(name, SECRET).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    Config config = Config.empty().with("mover.name", "mover-t").with("mover.dataDir", dir)
        .with("mover.upload.port", 0).with("mover.upload.bind", "127.0.0.1").with("mover.maxTransfers", 2)
        .with("mover.link.maxBackoff", "1s").with("mover.progressInterval", "200ms").with("cluster.secret", SECRET)
        // the bad-token test checks each refusal's answer; throttling of repeats is UploadGuardTest's
        .with("auth.freeFailures", 10);
    node = new MoverNode(config, channel);
    node.start();
    assertThat(node.masterLink().awaitConnected(WAIT)).isTrue();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(PemTrust.trusting(List.of(node.uploadServer().certificatePem()))).build();
    sshd = OpenSshServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
    if (channel != null) channel.shutdownNow();
    if (master != null) master.close();
    if (sshd != null) sshd.close();
  }

  static HttpResponse<String> upload(long id, String token, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.uploadServer().url("127.0.0.1") + "/upload/" + id))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(WAIT);
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String validToken(long id) {
    return tokens.issue(id, System.currentTimeMillis() + 60_000);
  }

  static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  @Order(1)
  void helloAdvertisesTheUploadEndpointAndHeartbeatsFollow() throws Exception {
    Hello hello = master.await(MoverMessage::hasHello, WAIT).getHello();
    assertThat(hello.getMoverName()).isEqualTo("mover-t");
    assertThat(hello.getUploadUrl()).isEqualTo("https://127.0.0.1:" + node.uploadServer().port());
    assertThat(hello.getUploadCertPem()).contains("BEGIN CERTIFICATE");
    assertThat(hello.getMaxTransfers()).isEqualTo(2);
    assertThat(hello.getVolumesList()).singleElement().satisfies(v -> assertThat(v.getFreeBytes()).isPositive());
    assertThat(master.await(MoverMessage::hasHeartbeat, WAIT).getHeartbeat().getVolumesCount()).isEqualTo(1);
    assertThat(node.masterLink().moverId()).isEqualTo(7);
  }

  @Test
  @Order(2)
  void validUploadIsStoredAcknowledgedAndAnswered200() throws Exception {
    byte[] content = random(3 * 1024 * 1024 + 5);
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

    HttpResponse<String> r = upload(1001, validToken(1001), content);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"status\":\"ok\"", "\"dataFileId\":1001", "\"sha256\":\"" + sha + "\"");
    Stored stored = master.await(MoverMessage::hasStored, WAIT).getStored();
    assertThat(stored.getDataFileId()).isEqualTo(1001);
    assertThat(stored.getSize()).isEqualTo(content.length);
    assertThat(stored.getSha256()).isEqualTo(sha);
    assertThat(Files.readAllBytes(node.dataStore().locate(1001).orElseThrow())).isEqualTo(content);

    HttpResponse<String> again = upload(1001, validToken(1001), content);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("\"status\":\"error\"");
  }

  @Test
  @Order(3)
  void badTokensAre401AndStoreNothing() throws Exception {
    assertThat(upload(1002, "123.abc", new byte[10]).statusCode()).isEqualTo(401);
    assertThat(upload(1002, validToken(9999), new byte[10]).statusCode()).isEqualTo(401);
    assertThat(upload(1002, tokens.issue(1002, System.currentTimeMillis() - 1), new byte[10]).statusCode()).isEqualTo(401);
    assertThat(upload(1002, null, new byte[10]).statusCode()).isEqualTo(401);
    assertThat(node.dataStore().locate(1002)).isEmpty();
  }

  @Test
  @Order(4)
  void refusedByMasterIsRemovedAgain() throws Exception {
    master.refuse.add(1003L);
    HttpResponse<String> r = upload(1003, validToken(1003), new byte[1000]);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(r.body()).contains("unknown data file");
    assertThat(node.dataStore().locate(1003)).isEmpty();
  }

  @Test
  @Order(5)
  void sizeHeaderMismatchIs400() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(node.uploadServer().url("127.0.0.1") + "/upload/1004"))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[100])).header("Authorization", "Bearer " + validToken(1004))
        .header("X-Ecpds-Size", "99").build();
    assertThat(http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    assertThat(node.dataStore().locate(1004)).isEmpty();
  }

  @Test
  @Order(6)
  void disseminateSendsTheStoredFileToTheRemoteHost() throws Exception {
    HostSpec host = HostSpec.newBuilder().setHostId(1).setName("ssh").setTransferMethod("sftp")
        .setAddress("127.0.0.1").setPort(sshd.port()).setLogin(sshd.user()).setPassword(sshd.password()).build();
    master.send(Instruction.newBuilder().setCorrelationId("t-1").setDisseminate(Disseminate.newBuilder()
        .setTransferId(1).setDataFileId(1001).setSize(3 * 1024 * 1024 + 5).setHost(host)
        .setTargetPath("out/2026/file-1001.bin")).build());

    InstructionResult r = master.await(m -> m.hasResult() && m.getResult().getCorrelationId().equals("t-1"), WAIT).getResult();

    assertThat(r.getOk()).as(r.getMessage()).isTrue();
    assertThat(r.getBytes()).isEqualTo(3 * 1024 * 1024 + 5);
    assertThat(Files.readAllBytes(sshd.home().resolve("out/2026/file-1001.bin")))
        .isEqualTo(Files.readAllBytes(node.dataStore().locate(1001).orElseThrow()));

    HostSpec wrong = host.toBuilder().setPassword("wrong").build();
    master.send(Instruction.newBuilder().setCorrelationId("t-2").setDisseminate(Disseminate.newBuilder()
        .setTransferId(2).setDataFileId(1001).setHost(wrong).setTargetPath("x.bin")).build());
    InstructionResult bad = master.await(m -> m.hasResult() && m.getResult().getCorrelationId().equals("t-2"), WAIT).getResult();
    assertThat(bad.getOk()).isFalse();
    assertThat(bad.getErrorKind()).isEqualTo(ErrorKind.AUTHENTICATION);
  }

  @Test
  @Order(7)
  void deleteInstructionRemovesTheContent() throws Exception {
    node.dataStore().store(1005, new java.io.ByteArrayInputStream(new byte[5]), 5);
    master.send(Instruction.newBuilder().setCorrelationId("d-1")
        .setDeleteDataFile(DeleteDataFile.newBuilder().setDataFileId(1005)).build());
    InstructionResult r = master.await(m -> m.hasResult() && m.getResult().getCorrelationId().equals("d-1"), WAIT).getResult();
    assertThat(r.getOk()).isTrue();
    assertThat(node.dataStore().locate(1005)).isEmpty();
  }

  @Test
  @Order(8)
  void reconnectsAfterTheMasterRestartsAndReportsHeldFiles() throws Exception {
    int welcomes = node.masterLink().welcomeCount();
    master.stop();
    long until = System.nanoTime() + WAIT.toNanos();
    while (node.masterLink().isConnected() && System.nanoTime() < until) Thread.sleep(20);
    assertThat(node.masterLink().isConnected()).isFalse();
    assertThat(upload(1006, validToken(1006), new byte[10]).statusCode()).isEqualTo(503);
    assertThat(node.dataStore().locate(1006)).isEmpty();

    Thread.sleep(1500); // several failed attempts while the master is away
    master.received.clear();
    master.start();

    assertThat(node.masterLink().awaitConnected(WAIT)).isTrue();
    assertThat(node.masterLink().welcomeCount()).isEqualTo(welcomes + 1);
    master.await(MoverMessage::hasHello, WAIT);
    // the held files follow the Welcome in pages (a Hello cannot carry a big store's ids)
    assertThat(master.await(MoverMessage::hasHeld, WAIT).getHeld().getDataFileIdsList()).contains(1001L)
        .doesNotContain(1003L, 1005L);
    assertThat(upload(1006, validToken(1006), new byte[10]).statusCode()).isEqualTo(200);
  }
}
