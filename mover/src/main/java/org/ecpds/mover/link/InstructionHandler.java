package org.ecpds.mover.link;

import org.ecpds.proto.Instruction;

/** Receives the master's instructions; called on a gRPC thread, so it must hand off long work. */
@FunctionalInterface
public interface InstructionHandler {
  void onInstruction(Instruction instruction);
}
