package org.ecpds.mover.link;

import org.ecpds.mover.retrieval.RetrievalExecutor;
import org.ecpds.proto.Instruction;

/**
 * Hands each instruction to the part of the mover that runs it: fetches to the retrieval executor
 * (and a Cancel of one of them), everything else to the dissemination executor.
 */
public final class InstructionRouter implements InstructionHandler {
  private final InstructionHandler dissemination;
  private final RetrievalExecutor retrieval;

  public InstructionRouter(InstructionHandler dissemination, RetrievalExecutor retrieval) {
    this.dissemination = dissemination;
    this.retrieval = retrieval;
  }

  @Override
  public void onInstruction(Instruction in) {
    switch (in.getKindCase()) {
      case RETRIEVE -> retrieval.retrieve(in.getCorrelationId(), in.getRetrieve());
      case CANCEL -> {
        if (retrieval.runs(in.getCancel().getCorrelationIdToCancel())) {
          retrieval.cancel(in.getCorrelationId(), in.getCancel().getCorrelationIdToCancel());
        } else {
          dissemination.onInstruction(in);
        }
      }
      default -> dissemination.onInstruction(in);
    }
  }
}
