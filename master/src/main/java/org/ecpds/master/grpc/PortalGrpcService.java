package org.ecpds.master.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.PortalAccess;
import org.ecpds.proto.AuthenticateReply;
import org.ecpds.proto.AuthenticateRequest;
import org.ecpds.proto.DeniedEvent;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.Empty;
import org.ecpds.proto.ListFilesReply;
import org.ecpds.proto.ListFilesRequest;
import org.ecpds.proto.PortalFile;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.ReportDownloadReply;
import org.ecpds.proto.ReportDownloadRequest;

/** Portal servers (in movers) ask the master who may do what, and report downloads. */
public final class PortalGrpcService extends PortalServiceGrpc.PortalServiceImplBase {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PortalGrpcService.class);
  private final PortalAccess access;
  private final MoverRegistry movers;

  public PortalGrpcService(PortalAccess access, MoverRegistry movers) {
    this.access = access;
    this.movers = movers;
  }

  @Override
  public void authenticate(AuthenticateRequest r, StreamObserver<AuthenticateReply> out) {
    AuthenticateReply.Builder reply = AuthenticateReply.newBuilder();
    access.authenticate(r.getUser(), r.getPassword()).ifPresentOrElse(perms -> {
      reply.setOk(true);
      perms.forEach(p -> reply.addDestinations(DestinationAccess.newBuilder().setDestination(p.destination())
          .setGet(p.canGet()).setPut(p.canPut()).setDelete(p.canDelete()).setDir(p.canDir())));
    }, () -> reply.setOk(false).setMessage("Password authentication failed"));
    out.onNext(reply.build());
    out.onCompleted();
  }

  @Override
  public void listFiles(ListFilesRequest r, StreamObserver<ListFilesReply> out) {
    try {
      ListFilesReply.Builder reply = ListFilesReply.newBuilder();
      java.util.Map<Long, String> moverNames = new java.util.HashMap<>(); // one lookup per mover, not per file
      for (PortalAccess.Entry e : access.list(r.getUser(), r.getDestination())) {
        reply.addFiles(PortalFile.newBuilder().setName(e.name()).setSize(e.size()).setModifiedMillis(e.modifiedMs())
            .setDataFileId(e.dataFileId()).setTransferId(e.transferId()).setStatus(e.status())
            .setMoverName(moverNames.computeIfAbsent(e.moverId(), id -> movers.name(id).orElse(""))));
      }
      out.onNext(reply.build());
      out.onCompleted();
    } catch (ForbiddenException e) {
      out.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
    } catch (NotFoundException e) {
      out.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void reportDownload(ReportDownloadRequest r, StreamObserver<ReportDownloadReply> out) {
    try {
      String status = access.downloaded(r.getUser(), r.getTransferId(), r.getProtocol(), r.getBytes());
      out.onNext(ReportDownloadReply.newBuilder().setOk(true).setStatus(status).build());
      out.onCompleted();
    } catch (NotFoundException e) {
      out.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public void locateMover(org.ecpds.proto.LocateMoverRequest r, StreamObserver<org.ecpds.proto.MoverLocation> out) {
    movers.online(r.getMoverName()).ifPresentOrElse(t -> {
      out.onNext(org.ecpds.proto.MoverLocation.newBuilder().setUrl(t.uploadUrl()).setCertificatePem(t.certificatePem()).build());
      out.onCompleted();
    }, () -> out.onError(Status.NOT_FOUND.withDescription("mover " + r.getMoverName() + " is not online").asRuntimeException()));
  }

  /** The portal already wrote the DEA line where the access happened; the master only logs it for operators. */
  @Override
  public void reportDenied(DeniedEvent e, StreamObserver<Empty> out) {
    LOG.info("access denied on mover {} for user '{}' ({}): {}", e.getMoverName(), e.getUser(), e.getProtocol(),
        e.getMessage());
    out.onNext(Empty.getDefaultInstance());
    out.onCompleted();
  }
}
