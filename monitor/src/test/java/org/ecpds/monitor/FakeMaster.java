package org.ecpds.monitor;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ecpds.proto.AdminServiceGrpc;
import org.ecpds.proto.DestinationDetailReply;
import org.ecpds.proto.DestinationDetailRequest;
import org.ecpds.proto.DestinationSummary;
import org.ecpds.proto.HistoryEntry;
import org.ecpds.proto.LoginReply;
import org.ecpds.proto.LoginRequest;
import org.ecpds.proto.MoverState;
import org.ecpds.proto.OverviewReply;
import org.ecpds.proto.OverviewRequest;
import org.ecpds.proto.TransferActionReply;
import org.ecpds.proto.TransferActionRequest;
import org.ecpds.proto.TransferView;

/**
 * A test double of the master's AdminService. The real master is being built concurrently in
 * master/, so the monitor is tested against this fixed picture: one online mover and one
 * destination holding a DONE transfer (3 history rows) and a WAIT transfer.
 */
final class FakeMaster extends AdminServiceGrpc.AdminServiceImplBase {
  static final String USER = "operator";
  static final String PASSWORD = "correct horse";
  static final String MOVER = "mover-1";
  static final String DESTINATION = "bench";
  static final long DONE_ID = 1;
  static final long WAIT_ID = 2;
  /** Markup-looking text from the master must be shown as text. */
  static final String WAIT_MESSAGE = "waiting for <b>slot</b> & host";
  private static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z

  final List<TransferActionRequest> actions = new CopyOnWriteArrayList<>();
  /** When set, every call fails with this status (master down, misconfigured secret...). */
  volatile Status failure;

  @Override
  public void login(LoginRequest request, StreamObserver<LoginReply> out) {
    if (failed(out)) return;
    boolean ok = USER.equals(request.getUser()) && PASSWORD.equals(request.getPassword());
    reply(out, LoginReply.newBuilder().setOk(ok).setMessage(ok ? "" : "invalid credentials").build());
  }

  @Override
  public void overview(OverviewRequest request, StreamObserver<OverviewReply> out) {
    if (failed(out)) return;
    reply(out, OverviewReply.newBuilder()
        .addMovers(MoverState.newBuilder().setName(MOVER).setOnline(true).setRunningTransfers(1)
            .setMaxTransfers(10).setLoad(0.42).setLastSeenMillis(System.currentTimeMillis())
            .setFreeBytes(50L << 30))
        .addDestinations(summary())
        .build());
  }

  @Override
  public void destinationDetail(DestinationDetailRequest request, StreamObserver<DestinationDetailReply> out) {
    if (failed(out)) return;
    if (!DESTINATION.equals(request.getDestination())) {
      reply(out, DestinationDetailReply.newBuilder().setFound(false).build());
      return;
    }
    TransferView done = TransferView.newBuilder().setId(DONE_ID).setDataFileId(11).setTarget("2026/01/01/an.grib")
        .setStatus("DONE").setPriority(99).setHost("sftp-host").setSize(2048).setSent(2048)
        .setQueueTimeMillis(T0).setFinishTimeMillis(T0 + 65_000).setMessage("")
        .addHistory(history("WAIT", T0, "queued", ""))
        .addHistory(history("EXEC", T0 + 60_000, "transfer started on " + MOVER, ""))
        .addHistory(history("DONE", T0 + 65_000, "2048 bytes sent", "")).build();
    TransferView waiting = TransferView.newBuilder().setId(WAIT_ID).setDataFileId(12).setTarget("2026/01/01/b.grib")
        .setStatus("WAIT").setPriority(50).setSize(4096).setQueueTimeMillis(T0 + 1_000)
        .setMessage(WAIT_MESSAGE).addHistory(history("WAIT", T0 + 1_000, "queued", "")).build();
    reply(out, DestinationDetailReply.newBuilder().setFound(true).setSummary(summary())
        .addTransfers(done).addTransfers(waiting).build());
  }

  @Override
  public void transferAction(TransferActionRequest request, StreamObserver<TransferActionReply> out) {
    if (failed(out)) return;
    actions.add(request);
    String status = "stop".equals(request.getAction()) ? "STOP" : "WAIT";
    reply(out, TransferActionReply.newBuilder().setOk(true).setStatus(status)
        .setMessage(request.getAction() + " by " + request.getUser()).build());
  }

  private static DestinationSummary summary() {
    return DestinationSummary.newBuilder().setName(DESTINATION).setEnabled(true).setMaxConnections(5)
        .putCounts("WAIT", 1).putCounts("DONE", 1).build();
  }

  private static HistoryEntry history(String status, long time, String comment, String user) {
    return HistoryEntry.newBuilder().setStatus(status).setTimeMillis(time).setComment(comment)
        .setUser(user.isEmpty() ? "system" : user).build();
  }

  private boolean failed(StreamObserver<?> out) {
    Status f = failure;
    if (f == null) return false;
    out.onError(f.asRuntimeException());
    return true;
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
