package org.ecpds.master.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.common.errors.InternalErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.DataTransfer;
import org.ecpds.master.domain.Destination;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.domain.DestinationAction;
import org.ecpds.master.domain.DestinationState;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.domain.HistoryRow;
import org.ecpds.master.domain.TransferAction;
import org.ecpds.master.domain.TransferLifecycle;
import org.ecpds.master.domain.TransferStatus;
import org.ecpds.master.scheduler.OperatorActions;
import org.ecpds.proto.DestinationActionReply;
import org.ecpds.proto.DestinationActionRequest;
import org.ecpds.proto.TransferStatusCode;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.TransferQueries;
import org.ecpds.master.service.UserService;
import org.ecpds.master.service.MonitorConfig;
import org.ecpds.master.service.TransferRates;
import org.ecpds.master.service.WebSessions;
import org.ecpds.master.domain.Host;
import org.ecpds.master.domain.IncomingUser;
import org.ecpds.master.domain.WebUser;
import org.ecpds.proto.ConfigReply;
import org.ecpds.proto.Empty;
import org.ecpds.proto.LogoutRequest;
import org.ecpds.proto.CreateDestinationRequest;
import org.ecpds.proto.CreateHostRequest;
import org.ecpds.proto.CreateIncomingUserRequest;
import org.ecpds.proto.RatePoint;
import org.ecpds.proto.TransferRatesReply;
import org.ecpds.proto.TransferRatesRequest;
import java.util.Optional;
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
 * What the monitor shows and the actions it takes; a translator over the service layer. States and
 * allowed actions come from the lifecycle, so the monitor only presents them; every action names
 * the operator, who is checked before anything happens.
 */
public final class AdminGrpcService extends AdminServiceGrpc.AdminServiceImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminGrpcService.class);
  private final UserService users;
  private final DestinationService destinations;
  private final HostService hosts;
  private final TransferQueries transfers;
  private final OperatorActions actions;
  private final MoverRegistry movers;

  private final MonitorConfig config;
  private final TransferRates rates;
  private final WebSessions sessions;

  public AdminGrpcService(UserService users, DestinationService destinations, HostService hosts,
      TransferQueries transfers, DataFileService dataFiles, OperatorActions actions, MoverRegistry movers,
      MonitorConfig config, TransferRates rates, WebSessions sessions) {
    this.config = config;
    this.sessions = sessions;
    this.rates = rates;
    this.users = users;
    this.destinations = destinations;
    this.hosts = hosts;
    this.transfers = transfers;
    this.actions = actions;
    this.movers = movers;
  }

  @Override
  public void login(LoginRequest r, StreamObserver<LoginReply> out) {
    Optional<WebUser> web = users.authenticateWebUser(r.getUser(), r.getPassword());
    LoginReply.Builder reply = LoginReply.newBuilder().setOk(web.isPresent())
        .setReadOnly(web.map(w -> !w.operator()).orElse(true))
        .setMessage(web.isPresent() ? "" : "invalid user name or password");
    web.ifPresent(w -> reply.setSessionToken(sessions.issue(w.name())));
    out.onNext(reply.build());
    out.onCompleted();
  }

  @Override
  public void logout(LogoutRequest r, StreamObserver<Empty> out) {
    sessions.revoke(r.getSessionToken());
    out.onNext(Empty.getDefaultInstance());
    out.onCompleted();
  }

  @Override
  public void createDestination(CreateDestinationRequest r, StreamObserver<ConfigReply> out) {
    configure(out, () -> {
      Destination d = config.createDestination(who(r.getSessionToken()), r.getName(), r.getComment(),
          r.getMaxConnections() > 0 ? r.getMaxConnections() : null);
      return "destination " + d.name() + " created";
    });
  }

  @Override
  public void createHost(CreateHostRequest r, StreamObserver<ConfigReply> out) {
    configure(out, () -> {
      Host h = config.createHost(who(r.getSessionToken()), r.getName(), r.getDestination(),
          r.getTransferMethod(), r.getAddress(), r.getPort() > 0 ? r.getPort() : null, r.getLogin(),
          r.getPassword().isEmpty() ? null : r.getPassword(), r.getDirectory());
      return "host " + h.name() + " created for destination " + r.getDestination();
    });
  }

  @Override
  public void createIncomingUser(CreateIncomingUserRequest r, StreamObserver<ConfigReply> out) {
    configure(out, () -> {
      IncomingUser u = config.createIncomingUser(who(r.getSessionToken()), r.getName(), r.getPassword(),
          r.getEmail(), r.getDestination(), r.getCanGet(), r.getCanPut(), r.getCanDelete());
      return "incoming user " + u.name() + " created"
          + (r.getDestination().isEmpty() ? "" : " with access to " + r.getDestination());
    });
  }

  /**
   * Who acts: the web user the master issued this session token to, and only if that user may
   * change things now (UserService.operator: enabled, not read-only). A user name alone is not
   * taken on the monitor's word.
   */
  private UserService.Principal who(String sessionToken) {
    return users.operator(sessions.user(sessionToken));
  }

  /** The service's refusal as a 4xx answer the monitor shows next to the form; anything else is internal. */
  private void configure(StreamObserver<ConfigReply> out, java.util.function.Supplier<String> change) {
    ConfigReply reply;
    try {
      reply = ConfigReply.newBuilder().setOk(true).setMessage(change.get()).build();
    } catch (ForbiddenException e) {
      reply = refusal(403, e);
    } catch (NotFoundException e) {
      reply = refusal(404, e);
    } catch (ConflictException e) {
      reply = refusal(409, e);
    } catch (IllegalArgumentException e) {
      reply = refusal(400, e);
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription(InternalErrors.record(LOG, "the admin gRPC service", e))
          .asRuntimeException());
      return;
    }
    out.onNext(reply);
    out.onCompleted();
  }

  private static ConfigReply refusal(int status, RuntimeException e) {
    return ConfigReply.newBuilder().setOk(false).setHttpStatus(status).setMessage(e.getMessage()).build();
  }

  /** Per-minute buckets: fine enough to see a push within one refresh, 60 points per hour. */
  private static final long RATE_BUCKET_MS = 60_000;

  @Override
  public void transferRates(TransferRatesRequest r, StreamObserver<TransferRatesReply> out) {
    long now = System.currentTimeMillis();
    TransferRatesReply.Builder reply = TransferRatesReply.newBuilder().setBucketSeconds((int) (RATE_BUCKET_MS / 1000))
        .setNowMillis(now);
    try {
      rates.of(r.getDestination(), now, r.getMinutes() <= 0 ? 60 : r.getMinutes(), RATE_BUCKET_MS).forEach(p ->
          reply.addPoints(RatePoint.newBuilder().setTimeMillis(p.timeMs()).setFiles(p.files()).setBytes(p.bytes())));
      reply.setFound(true);
    } catch (NotFoundException e) {
      reply.setFound(false);
    } catch (IllegalArgumentException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    out.onNext(reply.build());
    out.onCompleted();
  }

  @Override
  public void overview(OverviewRequest r, StreamObserver<OverviewReply> out) {
    OverviewReply.Builder reply = OverviewReply.newBuilder();
    for (MoverRegistry.View v : movers.views()) {
      reply.addMovers(MoverState.newBuilder().setName(v.name()).setOnline(v.online()).setRunningTransfers(v.running())
          .setMaxTransfers(v.maxTransfers()).setLoad(v.load()).setLastSeenMillis(v.lastSeenMs()).setFreeBytes(v.freeBytes()));
    }
    Map<Long, Map<String, Long>> counts = transfers.allCounts();
    Map<Long, DestinationState> states = actions.states();
    for (Destination d : destinations.list()) {
      reply.addDestinations(summary(d, counts.getOrDefault(d.id(), Map.of()), states.get(d.id())));
    }
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
    DestinationDetailReply.Builder reply = DestinationDetailReply.newBuilder().setFound(true)
        .setSummary(summary(d, transfers.counts(d.id()), actions.states().get(d.id())));
    // at most 1,000 transfers with their histories: a reply well under gRPC's 4 MiB message limit
    List<DataTransfer> list = transfers.list(d.name(), null, r.getLimit() <= 0 ? 200 : Math.min(r.getLimit(), 1_000));
    Map<Long, List<HistoryRow>> histories = transfers.histories(list.stream().map(DataTransfer::id).toList());
    Map<Long, Long> sizes = transfers.sizes(list.stream().map(DataTransfer::dataFileId).distinct().toList());
    Map<Long, String> hostNames = new HashMap<>(); // a page uses few hosts: look each up once
    for (DataTransfer t : list) {
      TransferStatus st = t.statusCode();
      TransferView.Builder v = TransferView.newBuilder().setId(t.id()).setDataFileId(t.dataFileId()).setTarget(t.target())
          .setStatus(t.status()).setStatusCode(TransferStatusCode.valueOf(st.name())).setStatusLabel(st.label())
          .setPriority(t.priority()).setSent(t.sent()).setQueueTimeMillis(t.queueMs())
          .setFinishTimeMillis(t.finishMs()).setMessage(t.message()).setSize(sizes.getOrDefault(t.dataFileId(), -1L));
      TransferLifecycle.actions(st).forEach(a -> v.addActions(a.wireName()));
      if (t.hostId() != null) v.setHost(hostNames.computeIfAbsent(t.hostId(), this::hostName));
      histories.getOrDefault(t.id(), List.of()).forEach(h -> v.addHistory(HistoryEntry.newBuilder().setStatus(h.status())
          .setTimeMillis(h.timeMs()).setComment(h.comment()).setUser(h.userName())));
      reply.addTransfers(v);
    }
    out.onNext(reply.build());
    out.onCompleted();
  }

  @Override
  public void transferAction(TransferActionRequest r, StreamObserver<TransferActionReply> out) {
    try {
      DataTransfer t = actions.transfer(who(r.getSessionToken()), r.getTransferId(),
          TransferAction.parse(r.getAction()), r.getAction().equalsIgnoreCase("priority") ? r.getPriority() : null);
      out.onNext(TransferActionReply.newBuilder().setOk(true).setStatus(t.status())
          .setMessage("transfer " + t.id() + " is now " + t.statusCode().label()
              + (r.getAction().equalsIgnoreCase("priority") ? " with priority " + t.priority() : "")).build());
      out.onCompleted();
    } catch (NotFoundException | ConflictException | ForbiddenException | IllegalArgumentException e) {
      out.onNext(TransferActionReply.newBuilder().setOk(false).setMessage(e.getMessage()).build());
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription(InternalErrors.record(LOG, "the admin gRPC service", e))
          .asRuntimeException());
    }
  }

  @Override
  public void destinationAction(DestinationActionRequest r, StreamObserver<DestinationActionReply> out) {
    try {
      Destination d = actions.destination(who(r.getSessionToken()), r.getDestination(),
          DestinationAction.parse(r.getAction()));
      DestinationState s = actions.states().getOrDefault(d.id(), DestinationState.WAIT);
      out.onNext(DestinationActionReply.newBuilder().setOk(true).setState(s.name()).setStateLabel(s.labelFor(d))
          .setMessage("destination " + d.name() + ": " + r.getAction() + " done").build());
      out.onCompleted();
    } catch (NotFoundException | ConflictException | ForbiddenException | IllegalArgumentException e) {
      out.onNext(DestinationActionReply.newBuilder().setOk(false).setMessage(e.getMessage()).build());
      out.onCompleted();
    } catch (RuntimeException e) {
      out.onError(Status.INTERNAL.withDescription(InternalErrors.record(LOG, "the admin gRPC service", e))
          .asRuntimeException());
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

  private static DestinationSummary summary(Destination d, Map<String, Long> counts, DestinationState state) {
    DestinationState s = state == null ? DestinationState.WAIT : state;
    DestinationSummary.Builder b = DestinationSummary.newBuilder().setName(d.name()).setEnabled(d.enabled())
        .setMaxConnections(d.maxConnections()).putAllCounts(counts).setState(s.name()).setStateLabel(s.labelFor(d));
    DestinationAction.allowed(d).forEach(a -> b.addActions(a.wireName()));
    return b.build();
  }
}
