package org.ecpds.master.movers;

import org.ecpds.proto.DeleteDataFile;
import org.ecpds.proto.Instruction;
import org.ecpds.proto.MasterMessage;

/** Builders for the instructions the master sends that need no reply tracking. */
public final class Instructions {
  private Instructions() {}

  public static MasterMessage deleteDataFile(long dataFileId) {
    return MasterMessage.newBuilder().setInstruction(Instruction.newBuilder().setCorrelationId("purge-" + dataFileId)
        .setDeleteDataFile(DeleteDataFile.newBuilder().setDataFileId(dataFileId))).build();
  }
}
