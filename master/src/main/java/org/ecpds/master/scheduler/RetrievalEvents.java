package org.ecpds.master.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.common.events.EventLog;
import org.ecpds.master.domain.Host;
import org.ecpds.proto.InstructionResult;

/** OpenECPDS-style RET event lines: one per finished fetch, Status=false with the Message on error. */
final class RetrievalEvents {
  private RetrievalEvents() {}

  static void finished(PresetFile p, Host host, String mover, InstructionResult r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("DataFileId", p.dataFileId());
    f.put("DestinationName", p.destination());
    f.put("Target", p.target());
    f.put("FileName", p.path());
    f.put("FileSize", r.getOk() ? r.getStoredSize() : p.expectedSize());
    f.put("GroupBy", p.groupBy());
    f.put("Duration", r.getDurationMillis());
    f.put("HostId", host.id());
    f.put("HostName", host.name());
    f.put("HostLogin", host.login());
    f.put("HostAddress", host.address());
    f.put("TransferProtocol", host.transferMethod());
    f.put("MoverName", mover);
    f.put("Attempt", p.attempts() + 1);
    f.put("Status", r.getOk());
    if (!r.getOk()) {
      f.put("ErrorKind", r.getErrorKind());
      f.put("Message", r.getMessage());
    }
    EventLog.write("RET", f);
  }
}
