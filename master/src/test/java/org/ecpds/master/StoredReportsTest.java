package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.MasterHarness.Reply;
import org.ecpds.proto.StoredAck;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The master's side of durable Stored reports: a mover re-sends a report whose ack it lost, so a
 * repeat of an arrival is answered ok without a second set of transfers; what the master does not
 * know or want is refused for good (the mover then deletes the content); a pushing client that lost
 * the mover's answer can withdraw a registration that has not arrived, and then it never will.
 */
class StoredReportsTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  private static long register(MasterHarness m, String source) throws Exception {
    Reply reg = m.call("POST", "datafile", Map.of("destination", "D", "source", source, "size", 10));
    assertThat(reg.code()).as(reg.body().toString()).isEqualTo(200);
    return reg.body().get("dataFileId").asLong();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void repeatsAreIdempotentAndRefusalsAreFinal(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      assertThat(m.call("POST", "destination", Map.of("name", "D")).code()).isEqualTo(200);
      long id = register(m, "/x/a.bin");

      StoredAck first = mover.stored(id, 10);
      assertThat(first.getOk()).isTrue();
      assertThat(first.getDataFileId()).isEqualTo(id);
      StoredAck repeat = mover.stored(id, 10);
      assertThat(repeat.getOk()).as(repeat.getMessage()).isTrue();
      assertThat(repeat.getRefused()).isFalse();
      assertThat(m.call("GET", "datafile/" + id, null).body().at("/datafile/transfers")).hasSize(1);

      StoredAck otherContent = mover.stored(id, 11);
      assertThat(otherContent.getOk()).isFalse();
      assertThat(otherContent.getRefused()).as("other content for an arrived file is refused for good").isTrue();
      StoredAck unknown = mover.stored(id + 1000, 10);
      assertThat(unknown.getOk()).isFalse();
      assertThat(unknown.getRefused()).isTrue();
      assertThat(unknown.getDataFileId()).isEqualTo(id + 1000);
      assertThat(m.call("GET", "datafile/" + id, null).body().at("/datafile/transfers")).hasSize(1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aWithdrawnRegistrationNeverArrivesAndAnArrivedOneStays(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      assertThat(m.call("POST", "destination", Map.of("name", "D")).code()).isEqualTo(200);
      m.node.users().createIncoming("pusher", "pusher-secret-1", null);
      m.node.users().grant("pusher", "D", false, true, false, false);
      long late = register(m, "/x/late.bin");
      long arrived = register(m, "/x/arrived.bin");
      assertThat(mover.stored(arrived, 10).getOk()).isTrue();

      Reply withdrawn = m.call("POST", "datafile/" + late + "/withdraw", "{}", "pusher", "pusher-secret-1");
      assertThat(withdrawn.code()).as(withdrawn.body().toString()).isEqualTo(200);
      assertThat(withdrawn.body().get("arrived").asBoolean()).isFalse();
      assertThat(m.call("GET", "datafile/" + late, null).code()).isEqualTo(404);
      StoredAck tooLate = mover.stored(late, 10);
      assertThat(tooLate.getOk()).isFalse();
      assertThat(tooLate.getRefused()).isTrue();

      Reply kept = m.call("POST", "datafile/" + arrived + "/withdraw", "{}", "pusher", "pusher-secret-1");
      assertThat(kept.body().get("arrived").asBoolean()).isTrue();
      assertThat(m.call("GET", "datafile/" + arrived, null).body().at("/datafile/transfers")).hasSize(1);

      m.node.users().createIncoming("reader", "reader-secret-1", null);
      m.node.users().grant("reader", "D", true, false, false, false);
      long other = register(m, "/x/other.bin");
      assertThat(m.call("POST", "datafile/" + other + "/withdraw", "{}", "nobody", "wrong").code()).isEqualTo(401);
      assertThat(m.call("POST", "datafile/" + other + "/withdraw", "{}", "reader", "reader-secret-1").code())
          .as("withdrawing needs put").isEqualTo(403);
    }
  }
}
