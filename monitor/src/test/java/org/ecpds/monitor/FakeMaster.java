package org.ecpds.monitor;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ecpds.proto.AdminServiceGrpc;
import org.ecpds.proto.ConfigReply;
import org.ecpds.proto.Empty;
import org.ecpds.proto.LogoutRequest;
import org.ecpds.proto.CreateDestinationRequest;
import org.ecpds.proto.RatePoint;
import org.ecpds.proto.TransferRatesReply;
import org.ecpds.proto.TransferRatesRequest;
import org.ecpds.proto.DestinationActionReply;
import org.ecpds.proto.DestinationActionRequest;
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
import org.ecpds.proto.TransferStatusCode;
import org.ecpds.proto.TransferView;

/**
 * A test double of the master's AdminService. A stand-in is acceptable here only because the
 * monitor is a thin presenter: the real lifecycle (statuses, labels, allowed actions, priority
 * range) is the master's and is tested in master/. This one serves a fixed picture -- one online
 * mover, one destination with a transfer in each of DONE, WAIT, EXEC, FAIL and HOLD -- whose
 * labels and offered actions deliberately come from the tables below, and records every action
 * request. {@link #reset()} restores the picture between tests.
 */
final class FakeMaster extends AdminServiceGrpc.AdminServiceImplBase {
  static final String USER = "operator";
  static final String PASSWORD = "correct horse";
  static final String MOVER = "mover-1";
  /** The session token the fake issues at login; the monitor must send it back with changes. */
  static final String TOKEN = "fake-master-session";
  static final String DESTINATION = "bench";
  static final long DONE_ID = 1;
  static final long WAIT_ID = 2;
  static final long EXEC_ID = 3;
  static final long FAIL_ID = 4;
  static final long HOLD_ID = 5;
  /** Markup-looking text from the master must be shown as text. */
  static final String WAIT_MESSAGE = "waiting for <b>slot</b> & host";
  private static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z

  /** The fake's lifecycle: label and offered actions per status (not the real master's table). */
  private record Offer(String label, List<String> actions) {}

  private static final Map<String, Offer> TRANSFER = Map.of(
      "DONE", new Offer("Done", List.of("requeue")),
      "WAIT", new Offer("Queued", List.of("requeue", "stop", "priority")),
      "EXEC", new Offer("Transferring", List.of("stop")),
      "FAIL", new Offer("Failed", List.of("requeue", "stop")),
      "HOLD", new Offer("StandBy", List.of("release", "stop", "priority")),
      "STOP", new Offer("Stopped", List.of("requeue")));
  private static final Map<String, Offer> DESTINATION_STATE = Map.of(
      "WAIT", new Offer("Idle", List.of("hold", "stop", "clean", "requeue-all")),
      "HOLD", new Offer("Held", List.of("release", "clean")),
      "STOP", new Offer("Stopped", List.of("restart", "clean")));

  final List<TransferActionRequest> actions = new CopyOnWriteArrayList<>();
  final List<DestinationActionRequest> destinationActions = new CopyOnWriteArrayList<>();
  final List<CreateDestinationRequest> createdDestinations = new CopyOnWriteArrayList<>();
  /** The destination name the fake answers 409 for. */
  static final String TAKEN = "taken";
  /** Files delivered in the fake's current minute (the rate plot's last point). */
  volatile long deliveredNow;
  /** When set, every call fails with this status (master down, misconfigured secret...). */
  volatile Status failure;

  /** One transfer's mutable part. */
  private static final class Row {
    String code;
    int priority;

    Row(String code, int priority) {
      this.code = code;
      this.priority = priority;
    }
  }

  /** Guarded by this. */
  private final Map<Long, Row> transfers = new LinkedHashMap<>();
  private String destinationState;

  FakeMaster() {
    reset();
  }

  synchronized void reset() {
    actions.clear();
    destinationActions.clear();
    createdDestinations.clear();
    loggedOut.clear();
    deliveredNow = 0;
    failure = null;
    destinationState = "WAIT";
    transfers.clear();
    transfers.put(DONE_ID, new Row("DONE", 99));
    transfers.put(WAIT_ID, new Row("WAIT", 50));
    transfers.put(EXEC_ID, new Row("EXEC", 50));
    transfers.put(FAIL_ID, new Row("FAIL", 50));
    transfers.put(HOLD_ID, new Row("HOLD", 50));
  }

  @Override
  public void login(LoginRequest request, StreamObserver<LoginReply> out) {
    if (failed(out)) return;
    boolean ok = USER.equals(request.getUser()) && PASSWORD.equals(request.getPassword());
    reply(out, LoginReply.newBuilder().setOk(ok).setMessage(ok ? "" : "invalid credentials")
        .setSessionToken(ok ? TOKEN : "").build());
  }

  @Override
  public synchronized void overview(OverviewRequest request, StreamObserver<OverviewReply> out) {
    if (failed(out)) return;
    reply(out, OverviewReply.newBuilder()
        .addMovers(MoverState.newBuilder().setName(MOVER).setOnline(true).setRunningTransfers(1)
            .setMaxTransfers(10).setLoad(0.42).setLastSeenMillis(System.currentTimeMillis())
            .setFreeBytes(50L << 30))
        .addDestinations(summary())
        .build());
  }

  @Override
  public synchronized void destinationDetail(DestinationDetailRequest request,
      StreamObserver<DestinationDetailReply> out) {
    if (failed(out)) return;
    if (!DESTINATION.equals(request.getDestination())) {
      reply(out, DestinationDetailReply.newBuilder().setFound(false).build());
      return;
    }
    DestinationDetailReply.Builder b = DestinationDetailReply.newBuilder().setFound(true).setSummary(summary());
    transfers.keySet().forEach(id -> b.addTransfers(view(id)));
    reply(out, b.build());
  }

  /** Tokens the monitor ended with a logout. */
  final List<String> loggedOut = new CopyOnWriteArrayList<>();

  @Override
  public void logout(LogoutRequest request, StreamObserver<Empty> out) {
    if (failed(out)) return;
    loggedOut.add(request.getSessionToken());
    reply(out, Empty.getDefaultInstance());
  }

  @Override
  public void createDestination(CreateDestinationRequest request, StreamObserver<ConfigReply> out) {
    if (failed(out)) return;
    createdDestinations.add(request);
    reply(out, TAKEN.equals(request.getName())
        ? ConfigReply.newBuilder().setOk(false).setHttpStatus(409).setMessage("destination taken already exists").build()
        : ConfigReply.newBuilder().setOk(true).setMessage("destination " + request.getName() + " created").build());
  }

  /** Three one-minute buckets; the last holds {@link #deliveredNow} files of 1000 bytes. */
  @Override
  public void transferRates(TransferRatesRequest request, StreamObserver<TransferRatesReply> out) {
    if (failed(out)) return;
    if (!DESTINATION.equals(request.getDestination())) {
      reply(out, TransferRatesReply.newBuilder().setFound(false).build());
      return;
    }
    TransferRatesReply.Builder b = TransferRatesReply.newBuilder().setFound(true).setBucketSeconds(60).setNowMillis(T0);
    for (int i = 2; i >= 0; i--) {
      long files = i == 0 ? deliveredNow : 0;
      b.addPoints(RatePoint.newBuilder().setTimeMillis(T0 - i * 60_000L).setFiles(files).setBytes(files * 1000));
    }
    reply(out, b.build());
  }

  @Override
  public synchronized void transferAction(TransferActionRequest request, StreamObserver<TransferActionReply> out) {
    if (failed(out)) return;
    actions.add(request);
    Row t = transfers.get(request.getTransferId());
    String action = request.getAction();
    if (t == null || !TRANSFER.get(t.code).actions().contains(action)) {
      reply(out, TransferActionReply.newBuilder().setOk(false)
          .setMessage(action + " is not allowed for this transfer").build());
      return;
    }
    if ("priority".equals(action)) {
      if (request.getPriority() < 0 || request.getPriority() > 99) {
        reply(out, TransferActionReply.newBuilder().setOk(false).setMessage("priority must be 0-99").build());
        return;
      }
      t.priority = request.getPriority();
    } else {
      t.code = "stop".equals(action) ? "STOP" : "WAIT";
    }
    reply(out, TransferActionReply.newBuilder().setOk(true).setStatus(t.code)
        .setMessage(action + " by " + request.getUser()).build());
  }

  @Override
  public synchronized void destinationAction(DestinationActionRequest request,
      StreamObserver<DestinationActionReply> out) {
    if (failed(out)) return;
    destinationActions.add(request);
    String action = request.getAction();
    boolean ok = DESTINATION.equals(request.getDestination())
        && DESTINATION_STATE.get(destinationState).actions().contains(action);
    if (ok) {
      switch (action) {
        case "hold" -> destinationState = "HOLD";
        case "stop" -> destinationState = "STOP";
        case "release", "restart" -> destinationState = "WAIT";
        default -> { } // clean, requeue-all: the state stays
      }
    }
    reply(out, DestinationActionReply.newBuilder().setOk(ok).setState(destinationState)
        .setStateLabel(DESTINATION_STATE.get(destinationState).label())
        .setMessage(ok ? action + " by " + request.getUser()
            : "cannot " + action + " a destination that is " + DESTINATION_STATE.get(destinationState).label())
        .build());
  }

  private DestinationSummary summary() {
    DestinationSummary.Builder s = DestinationSummary.newBuilder().setName(DESTINATION).setEnabled(true)
        .setMaxConnections(5).setState(destinationState)
        .setStateLabel(DESTINATION_STATE.get(destinationState).label())
        .addAllActions(DESTINATION_STATE.get(destinationState).actions());
    transfers.values().forEach(t -> s.putCounts(t.code, s.getCountsOrDefault(t.code, 0) + 1));
    return s.build();
  }

  private TransferView view(long id) {
    Row t = transfers.get(id);
    String code = t.code;
    TransferView.Builder v = TransferView.newBuilder().setId(id).setDataFileId(10 + id)
        .setTarget("2026/01/01/file-" + id + ".grib").setStatus(code)
        .setStatusCode(TransferStatusCode.valueOf(code)).setStatusLabel(TRANSFER.get(code).label())
        .addAllActions(TRANSFER.get(code).actions()).setPriority(t.priority).setSize(4096)
        .setQueueTimeMillis(T0 + id * 1_000);
    if (id == DONE_ID) {
      v.setHost("sftp-host").setSent(4096).setFinishTimeMillis(T0 + 65_000)
          .addHistory(history("WAIT", T0, "queued"))
          .addHistory(history("EXEC", T0 + 60_000, "transfer started on " + MOVER))
          .addHistory(history("DONE", T0 + 65_000, "4096 bytes sent"));
    } else {
      v.addHistory(history("WAIT", T0 + id * 1_000, "queued"));
    }
    if (id == WAIT_ID) v.setMessage(WAIT_MESSAGE);
    return v.build();
  }

  private static HistoryEntry history(String status, long time, String comment) {
    return HistoryEntry.newBuilder().setStatus(status).setTimeMillis(time).setComment(comment)
        .setUser("system").build();
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
