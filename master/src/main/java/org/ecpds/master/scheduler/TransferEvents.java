package org.ecpds.master.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ecpds.common.events.EventLog;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.proto.InstructionResult;

/** OpenECPDS-style event lines for dissemination: UPH when a file was delivered, ERR when an attempt failed. */
final class TransferEvents {
  private TransferEvents() {}

  static void delivered(DataTransfer t, String destination, String host, String method, String mover,
      InstructionResult r) {
    Map<String, Object> f = common(t, destination, host, method, mover);
    f.put("BytesSent", r.getBytes());
    f.put("Duration", r.getDurationMillis());
    f.put("QueueTime", t.queueMs());
    f.put("RequeueCount", t.requeueCount());
    f.put("StatusCode", "DONE");
    EventLog.write("UPH", f);
  }

  static void failed(DataTransfer t, String destination, String host, String method, String mover,
      InstructionResult r, String outcome) {
    Map<String, Object> f = common(t, destination, host, method, mover);
    f.put("ErrorKind", r.getErrorKind());
    f.put("Message", r.getMessage());
    f.put("StatusCode", outcome);
    EventLog.write("ERR", f);
  }

  private static Map<String, Object> common(DataTransfer t, String destination, String host, String method,
      String mover) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("DataTransferId", t.id());
    f.put("DataFileId", t.dataFileId());
    f.put("Destination", destination);
    f.put("Target", t.target());
    f.put("Priority", t.priority());
    f.put("HostName", host);
    f.put("TransferProtocol", method);
    f.put("TransferServer", mover);
    return f;
  }
}
