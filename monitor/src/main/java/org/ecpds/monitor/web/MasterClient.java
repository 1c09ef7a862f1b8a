package org.ecpds.monitor.web;

import io.grpc.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.proto.AdminServiceGrpc;
import org.ecpds.proto.ConfigReply;
import org.ecpds.proto.CreateDestinationRequest;
import org.ecpds.proto.CreateHostRequest;
import org.ecpds.proto.CreateIncomingUserRequest;
import org.ecpds.proto.TransferRatesReply;
import org.ecpds.proto.TransferRatesRequest;
import org.ecpds.proto.DestinationActionReply;
import org.ecpds.proto.DestinationActionRequest;
import org.ecpds.proto.DestinationDetailReply;
import org.ecpds.proto.DestinationDetailRequest;
import org.ecpds.proto.LoginReply;
import org.ecpds.proto.LoginRequest;
import org.ecpds.proto.LogoutRequest;
import org.ecpds.proto.OverviewReply;
import org.ecpds.proto.OverviewRequest;
import org.ecpds.proto.TransferActionReply;
import org.ecpds.proto.TransferActionRequest;

/**
 * The monitor's only way to the master. Every call carries the cluster secret and a deadline so a
 * hung master turns into an error banner instead of a page that never loads. Failures surface as
 * io.grpc.StatusRuntimeException, rendered by {@link BaseServlet}.
 */
final class MasterClient {
  private final AdminServiceGrpc.AdminServiceBlockingStub stub;
  private final Duration deadline;

  MasterClient(Channel channel, String clusterSecret, Duration deadline) {
    this.stub = AdminServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(ClusterAuth.callCredentials(clusterSecret));
    this.deadline = deadline;
  }

  private AdminServiceGrpc.AdminServiceBlockingStub call() {
    return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  Duration deadline() {
    return deadline;
  }

  LoginReply login(String user, String password) {
    return call().login(LoginRequest.newBuilder().setUser(user).setPassword(password).build());
  }

  void logout(String sessionToken) {
    call().logout(LogoutRequest.newBuilder().setSessionToken(sessionToken).build());
  }

  OverviewReply overview() {
    return call().overview(OverviewRequest.getDefaultInstance());
  }

  DestinationDetailReply destination(String name, int limit) {
    return call().destinationDetail(
        DestinationDetailRequest.newBuilder().setDestination(name).setLimit(limit).build());
  }

  /** @param priority sent only with the "priority" action; ignored by the master otherwise */
  TransferActionReply transferAction(long transferId, String action, Session session, int priority) {
    return call().transferAction(TransferActionRequest.newBuilder().setTransferId(transferId).setAction(action)
        .setUser(session.user()).setSessionToken(session.masterToken()).setPriority(priority).build());
  }

  ConfigReply createDestination(CreateDestinationRequest r) {
    return call().createDestination(r);
  }

  ConfigReply createHost(CreateHostRequest r) {
    return call().createHost(r);
  }

  ConfigReply createIncomingUser(CreateIncomingUserRequest r) {
    return call().createIncomingUser(r);
  }

  TransferRatesReply rates(String destination, int minutes) {
    return call().transferRates(TransferRatesRequest.newBuilder().setDestination(destination).setMinutes(minutes).build());
  }

  DestinationActionReply destinationAction(String destination, String action, Session session) {
    return call().destinationAction(DestinationActionRequest.newBuilder().setDestination(destination)
        .setAction(action).setUser(session.user()).setSessionToken(session.masterToken()).build());
  }
}
