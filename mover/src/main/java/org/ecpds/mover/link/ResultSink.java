package org.ecpds.mover.link;

import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;

/** Where instruction outcomes go (the master link). */
public interface ResultSink {
  void sendResult(InstructionResult result);

  void sendProgress(Progress progress);
}
