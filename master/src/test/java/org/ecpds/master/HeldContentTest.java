package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.UserService.Principal;
import org.ecpds.proto.HeldPage;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.MoverMessage;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a mover reports holding after its Welcome: content the master no longer knows is deleted there. */
class HeldContentTest {
  static Stream<TestDatabase> databases() {
    return TestDatabases.both();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void contentTheMasterNoLongerKnowsIsDeletedOnTheMover(TestDatabase db) throws Exception {
    try (MasterHarness m = new MasterHarness(db);
        ScriptedMover mover = new ScriptedMover(m.inProcessName, m.node.clusterSecret(), "mover-a", 10)) {
      m.node.destinations().create("K", null);
      long known = m.node.dataFiles().register(Principal.admin("admin"), new DataFileService.Registration("K",
          "/src/k", "k", 50, "1d", Map.of(), 10L, false, null, null, null)).dataFileId();
      assertThat(mover.stored(known, 10).getOk()).isTrue();
      long purged = known + 1_000_000;
      mover.send(MoverMessage.newBuilder().setHeld(HeldPage.newBuilder().addDataFileIds(known)
          .addDataFileIds(purged)).build());
      Instruction delete = mover.next();
      assertThat(delete.getDeleteDataFile().getDataFileId()).isEqualTo(purged);
      assertThat(mover.poll(300)).as("the known file stays").isNull();
    }
  }
}
