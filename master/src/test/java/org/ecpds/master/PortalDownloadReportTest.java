package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.ReportDownloadReply;
import org.ecpds.proto.ReportDownloadRequest;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The portal's outbox re-sends a download report it got no answer for, so the master must record a
 * download once however often it is reported, and answer each report with the transfer's status.
 */
class PortalDownloadReportTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aRepeatedReportIsHarmlessAndAnswersTheCurrentStatus(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      assertThat(m.call("POST", "destination", Map.of("name", "PULL")).code()).isEqualTo(200); // no host: StandBy
      Reply reg = m.call("POST", "datafile", Map.of("destination", "PULL", "source", "/x/a.bin", "size", 10));
      assertThat(reg.code()).as(reg.body().toString()).isEqualTo(200);
      long dataFileId = reg.body().get("dataFileId").asLong();
      assertThat(mover.stored(dataFileId, 10).getOk()).isTrue();
      long transfer = m.call("GET", "datafile/" + dataFileId, null).body().at("/datafile/transfers/0/id").asLong();
      assertThat(status(m, transfer).get("status").asText()).isEqualTo("HOLD");

      ManagedChannel channel = InProcessChannelBuilder.forName(m.inProcessName).directExecutor().build();
      try {
        var portal = PortalServiceGrpc.newBlockingStub(channel)
            .withCallCredentials(ClusterAuth.callCredentials(m.node.clusterSecret()));
        ReportDownloadRequest report = ReportDownloadRequest.newBuilder().setUser("u").setTransferId(transfer)
            .setBytes(10).setProtocol("sftp").setRemoteAddress("127.0.0.1").build();
        ReportDownloadReply first = portal.reportDownload(report);
        ReportDownloadReply again = portal.reportDownload(report);
        assertThat(first.getOk()).isTrue();
        assertThat(first.getStatus()).isEqualTo("DONE");
        assertThat(again.getOk()).isTrue();
        assertThat(again.getStatus()).isEqualTo("DONE");
        JsonNode history = status(m, transfer).get("history");
        assertThat(history).filteredOn(h -> h.get("status").asText().equals("DONE")).singleElement()
            .satisfies(h -> assertThat(h.get("comment").asText()).isEqualTo("downloaded by u over sftp"));

        // an unknown transfer is an answer (NOT_FOUND), which the portal does not retry
        assertThatThrownBy(() -> portal.reportDownload(report.toBuilder().setTransferId(transfer + 1000).build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static JsonNode status(MasterHarness m, long transfer) throws Exception {
    return m.call("GET", "transfer/" + transfer, null).body().get("transfer");
  }
}
