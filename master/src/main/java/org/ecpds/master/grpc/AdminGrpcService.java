package org.ecpds.master.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.scheduler.TransferScheduler;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.TransferQueries;
import org.ecpds.master.service.UserService;
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

/** What the monitor shows and the actions it takes; a translator over the service layer. */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private final UserService users;
  private final DestinationService destinations;
  private final HostService hosts;
  private final TransferQueries transfers;
  private final DataFileService dataFiles;
  private final TransferScheduler scheduler;
  private final MoverRegistry movers;

  public AdminGrpcService(UserService users, DestinationService destinations, HostService hosts,
      TransferQueries transfers, DataFileService dataFiles, TransferScheduler scheduler, MoverRegistry movers) {
    this.users = users;
    this.destinations = destinations;
    this.hosts = hosts;
    this.transfers = transfers;
    this.dataFiles = dataFiles;
    this.scheduler = scheduler;
    this.movers = movers;
  }

  @Override
  public void login(LoginRequest r, StreamObserver<LoginReply> out) {
    boolean ok = users.authenticateWebUser(r.getUser(), r.getPassword());
    out.onNext(LoginReply.newBuilder().setOk(ok).setMessage(ok ? "" : "invalid user name or password").build());
    out.onCompleted();
  }

  @Override
  public void overview(OverviewRequest r, StreamObserver<OverviewReply> out) {
    OverviewReply.Builder reply = OverviewReply.newBuilder();
    for (MoverRegistry.View v : movers.views()) {
      reply.addMovers(MoverState.newBuilder().setName(v.name()).setOnline(v.online()).setRunningTransfers(v.running())
          .setMaxTransfers(v.maxTransfers()).setLoad(v.load()).setLastSeenMillis(v.lastSeenMs()).setFreeBytes(v.freeBytes()));
    }
    for (Destination d : destinations.list()) reply.addDestinations(summary(d));
    out.onNext(reply.build());
    out.onCompleted();
  }

  @Override
  public void destinationDetail(DestinationDetailRequest r, StreamObserver<DestinationDetailReply> out) {
    Destination d;
    try {
      d = destinations.get(r.getDestination());
    } catch (NotFoundException e) {
      out.onNext(DestinationDetailReply.newBuilder().setFound(false).build());
      out.onCompleted();
      return;
    }
    DestinationDetailReply.Builder reply = DestinationDetailReply.newBuilder().setFound(true).setSummary(summary(d));
    List<DataTransfer> list = transfers.list(d.name(), null, r.getLimit() <= 0 ? 200 : r.getLimit());
    java.util.Map<Long, String> hostNames = new java.util.HashMap<>(); // a page uses few hosts: look each up once
    for (DataTransfer t : list) {
      TransferView.Builder v = TransferView.newBuilder().setId(t.id()).setDataFileId(t.dataFileId()).setTarget(t.target())
          .setStatus(t.status()).setPriority(t.priority()).setSent(t.sent()).setQueueTimeMillis(t.queueMs())
          .setFinishTimeMillis(t.finishMs()).setMessage(t.message());
      if (t.hostId() != null) v.setHost(hostNames.computeIfAbsent(t.hostId(), this::hostName));
      v.setSize(dataFiles.get(t.dataFileId()).size());
      transfers.history(t.id()).forEach(h -> v.addHistory(HistoryEntry.newBuilder().setStatus(h.status())
          .setTimeMillis(h.timeMs()).setComment(h.comment()).setUser(h.userName())));
      reply.addTransfers(v);
    }
    out.onNext(reply.build());
    out.onCompleted();
  }

  @Override
  public void transferAction(TransferActionRequest r, StreamObserver<TransferActionReply> out) {
    String user = r.getUser().isBlank() ? "monitor" : r.getUser();
    try {
      DataTransfer t = switch (r.getAction()) {
        case "requeue" -> scheduler.requeue(r.getTransferId(), user);
        case "stop" -> scheduler.stop(r.getTransferId(), user);
        default -> throw new IllegalArgumentException("unknown action " + r.getAction());
      };
      out.onNext(TransferActionReply.newBuilder().setOk(true).setStatus(t.status())
          .setMessage("transfer " + t.id() + " is now " + t.status()).build());
      out.onCompleted();
    } catch (NotFoundException | ConflictException | IllegalArgumentException e) {
      out.onNext(TransferActionReply.newBuilder().setOk(false).setMessage(e.getMessage()).build());
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  /** The host's name, or "" when it was deleted since. */
  private String hostName(long hostId) {
    try {
      return hosts.byId(hostId).name();
    } catch (NotFoundException e) {
      return "";
    }
  }

  private DestinationSummary summary(Destination d) {
    return DestinationSummary.newBuilder().setName(d.name()).setEnabled(d.enabled()).setMaxConnections(d.maxConnections())
        .putAllCounts(transfers.counts(d.id())).build();
  }
}
