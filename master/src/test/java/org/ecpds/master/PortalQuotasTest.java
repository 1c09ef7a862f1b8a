package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.proto.AuthenticateReply;
import org.ecpds.proto.AuthenticateRequest;
import org.ecpds.proto.ListFilesRequest;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.QuotaCheckRequest;
import org.ecpds.proto.QuotaReply;
import org.ecpds.proto.QuotaRequest;
import org.ecpds.proto.RegisterUploadRequest;
import org.ecpds.proto.ReportDownloadRequest;
import org.ecpds.testkit.ManualClock;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-user portal limits on a real master (H2 and MariaDB): set and read over REST with validation,
 * sent with a login, and the quotas decided by the master over rolling windows of its clock.
 */
class PortalQuotasTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static final class Setup implements AutoCloseable {
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MasterHarness m;
    final ScriptedMover mover;
    final ManagedChannel channel;
    final PortalServiceGrpc.PortalServiceBlockingStub portal;

    Setup(TestDatabase db) throws Exception {
      m = new MasterHarness(db, clock);
      mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10);
      channel = InProcessChannelBuilder.forName(m.inProcessName).directExecutor().build();
      portal = PortalServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()));
    }

    Reply ok(Reply r) {
      assertThat(r.code()).as(r.body().toString()).isEqualTo(200);
      return r;
    }

    long upload(String path, long size) throws Exception {
      long id = portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("u").setDestination("D").setPath(path)
          .setSize(size).setProtocol("https").setRemoteAddress("127.0.0.1").setMoverName("mover-a").build())
          .getDataFileId();
      assertThat(mover.stored(id, size).getOk()).isTrue();
      return id;
    }

    QuotaReply quota() {
      return portal.quota(QuotaRequest.newBuilder().setUser("u").build());
    }

    @Override
    public void close() {
      channel.shutdownNow();
      mover.close();
      m.close();
    }
  }

  private static void exhausted(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class,
        e -> assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void limitsAreSetReadAndValidatedOverRest(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      JsonNode u = s.ok(s.m.call("POST", "incoming/user", Map.of("id", "u", "password", "secret-pw-u", "maxConnections", 3,
          "maxUploadBytes", 1000, "uploadPeriod", "1d"))).body().get("user");
      assertThat(u.get("maxConnections").asInt()).isEqualTo(3);
      assertThat(u.get("maxUploadBytes").asLong()).isEqualTo(1000);
      assertThat(u.get("uploadPeriod").asText()).isEqualTo("1d");
      assertThat(u.get("maxDownloadBytes").asLong()).isZero();
      assertThat(u.at("/usage/uploadRemaining").asLong()).isEqualTo(1000);
      assertThat(u.at("/usage/downloadRemaining").asLong()).isEqualTo(-1);

      u = s.ok(s.m.call("PUT", "incoming/user/u", Map.of("maxDownloadBytes", 5000, "downloadPeriod", "12h")))
          .body().get("user");
      assertThat(u.get("maxUploadBytes").asLong()).as("unchanged by a partial update").isEqualTo(1000);
      assertThat(u.get("downloadPeriod").asText()).isEqualTo("12h");
      assertThat(s.ok(s.m.call("GET", "incoming/user/u", null)).body().at("/user/maxDownloadBytes").asLong())
          .isEqualTo(5000);

      Map<String, Object> bad = new HashMap<>();
      bad.put("maxConnections", -1);
      bad.put("maxUploadBytes", -5);
      bad.put("uploadPeriod", "soon");
      bad.put("downloadPeriod", "400d");
      bad.put("maxConnections", 2_000_000);
      for (Map.Entry<String, Object> e : bad.entrySet()) {
        Reply r = s.m.call("PUT", "incoming/user/u", Map.of(e.getKey(), e.getValue()));
        assertThat(r.code()).as(e.toString()).isEqualTo(400);
        assertThat(r.body().get("message").asText()).contains(e.getKey());
      }
      Reply r = s.m.call("POST", "incoming/user", Map.of("id", "v", "password", "secret-pw-v", "uploadPeriod", "0s"));
      assertThat(r.code()).isEqualTo(400);
      assertThat(s.m.call("GET", "incoming/user/v", null).code()).as("nothing made by a refused create").isEqualTo(404);
      assertThat(s.ok(s.m.call("GET", "incoming/user/u", null)).body().at("/user/maxConnections").asInt()).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void uploadQuotaIsARollingWindowOnTheMastersClock(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      s.ok(s.m.call("POST", "destination", Map.of("name", "D")));
      s.ok(s.m.call("POST", "incoming/user", Map.of("id", "u", "password", "secret-pw-u", "maxUploadBytes", 100,
          "uploadPeriod", "1h", "maxConnections", 2)));
      s.ok(s.m.call("PUT", "incoming/user/u/destination/D", Map.of("put", true)));
      AuthenticateReply login = s.portal.authenticate(AuthenticateRequest.newBuilder().setUser("u").setPassword("secret-pw-u")
          .build());
      assertThat(login.getLimits().getMaxConnections()).isEqualTo(2);
      assertThat(login.getLimits().getUploadQuota()).isTrue();
      assertThat(login.getLimits().getDownloadQuota()).isFalse();

      s.upload("a", 60);
      s.clock.advance(Duration.ofMinutes(30));
      assertThat(s.quota().getUploadRemaining()).isEqualTo(40);
      assertThat(s.quota().getDownloadRemaining()).isEqualTo(-1);
      exhausted(() -> s.portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("u").setDestination("D")
          .setPath("b").setSize(41).setProtocol("https").setMoverName("mover-a").build()));
      assertThat(PortalWritesTest.listAll(s.portal, ListFilesRequest.newBuilder().setUser("u").setDestination("D").build())
          .getFilesList()).as("nothing registered past the quota").hasSize(1);
      s.upload("b", 40);
      assertThat(s.quota().getUploadRemaining()).isZero();
      exhausted(() -> s.portal.registerUpload(RegisterUploadRequest.newBuilder().setUser("u").setDestination("D")
          .setPath("c").setSize(0).setProtocol("sftp").setMoverName("mover-a").build()));

      s.clock.advance(Duration.ofMinutes(31)); // "a" left the window, "b" not yet
      assertThat(s.quota().getUploadRemaining()).isEqualTo(60);
      s.upload("c", 60);
      s.clock.advance(Duration.ofHours(2));
      assertThat(s.quota().getUploadRemaining()).isEqualTo(100);
      JsonNode u = s.ok(s.m.call("GET", "incoming/user/u", null)).body().at("/user/usage");
      assertThat(u.get("uploadedBytes").asLong()).isZero();
    }
  }

  /** User u with a download quota of 100 bytes a day on D, where a file of 70 bytes is waiting; its transfer id. */
  private static long uploadedWithDownloadQuota(Setup s) throws Exception {
    s.ok(s.m.call("POST", "destination", Map.of("name", "D")));
    s.ok(s.m.call("POST", "incoming/user", Map.of("id", "u", "password", "secret-pw-u", "maxDownloadBytes", 100,
        "downloadPeriod", "1d")));
    s.ok(s.m.call("PUT", "incoming/user/u/destination/D", Map.of("put", true)));
    assertThat(s.upload("a", 70)).isPositive();
    return PortalWritesTest.listAll(s.portal, ListFilesRequest.newBuilder().setUser("u").setDestination("D").build())
        .getFiles(0).getTransferId();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void downloadQuotaCountsCompleteDownloads(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      long transfer = uploadedWithDownloadQuota(s);
      QuotaCheckRequest check = QuotaCheckRequest.newBuilder().setUser("u").setDownloadBytes(70).build();
      s.portal.quotaCheck(check);
      s.portal.reportDownload(ReportDownloadRequest.newBuilder().setUser("u").setTransferId(transfer).setBytes(70)
          .setProtocol("sftp").build());
      assertThat(s.quota().getDownloadRemaining()).isEqualTo(30);
      exhausted(() -> s.portal.quotaCheck(check));
      s.portal.quotaCheck(check.toBuilder().setDownloadBytes(30).build());
      s.clock.advance(Duration.ofDays(1).plusMillis(1));
      s.portal.quotaCheck(check);
      assertThat(s.quota().getDownloadRemaining()).isEqualTo(100);
    }
  }

  /** Ranged or interrupted downloads count what went out; the transfer stays StandBy (HOLD) until a whole download. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void partialDownloadsCountTooWithoutCompletingTheTransfer(TestDatabase db) throws Exception {
    try (Setup s = new Setup(db)) {
      long transfer = uploadedWithDownloadQuota(s);
      ReportDownloadRequest part = ReportDownloadRequest.newBuilder().setUser("u").setTransferId(transfer).setBytes(25)
          .setProtocol("https").setPartial(true).build();
      assertThat(s.portal.reportDownload(part).getStatus()).isEqualTo("HOLD");
      assertThat(s.portal.reportDownload(part).getStatus()).isEqualTo("HOLD");
      assertThat(s.quota().getDownloadRemaining()).isEqualTo(50);
      exhausted(() -> s.portal.quotaCheck(QuotaCheckRequest.newBuilder().setUser("u").setDownloadBytes(70).build()));
      assertThatThrownBy(() -> s.portal.reportDownload(part.toBuilder().setBytes(-5).build()))
          .isInstanceOfSatisfying(io.grpc.StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT));
      assertThat(s.quota().getDownloadRemaining()).isEqualTo(50);

      // the portal re-sends a report it got no answer for: one report id is counted once
      ReportDownloadRequest once = part.toBuilder().setBytes(10).setReportId("report-1").build();
      s.portal.reportDownload(once);
      s.portal.reportDownload(once);
      assertThat(s.quota().getDownloadRemaining()).isEqualTo(40);
      ReportDownloadRequest whole = ReportDownloadRequest.newBuilder().setUser("u").setTransferId(transfer).setBytes(30)
          .setProtocol("sftp").setReportId("report-2").build();
      assertThat(s.portal.reportDownload(whole).getStatus()).isEqualTo("DONE");
      assertThat(s.portal.reportDownload(whole).getStatus()).isEqualTo("DONE");
      assertThat(s.quota().getDownloadRemaining()).isEqualTo(10);
    }
  }
}
