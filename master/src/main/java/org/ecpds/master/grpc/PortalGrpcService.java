package org.ecpds.master.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.ecpds.master.domain.AlreadyExistsException;
import org.ecpds.master.domain.ConflictException;
import org.ecpds.master.domain.ForbiddenException;
import org.ecpds.master.domain.LimitExceeded;
import org.ecpds.master.domain.NotFoundException;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.service.PortalAccess;
import org.ecpds.master.service.ServiceUnavailableException;
import org.ecpds.master.service.S3KeyService;
import org.ecpds.proto.AuthenticateKeyRequest;
import org.ecpds.proto.S3CredentialsReply;
import org.ecpds.proto.S3CredentialsRequest;
import org.ecpds.proto.AuthenticateReply;
import org.ecpds.proto.AuthenticateRequest;
import org.ecpds.proto.DeniedEvent;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.Empty;
import org.ecpds.proto.ListFilesReply;
import org.ecpds.proto.ListFilesRequest;
import org.ecpds.proto.PortalFile;
import org.ecpds.proto.PortalPathRequest;
import org.ecpds.proto.PortalRenameRequest;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.RegisterUploadReply;
import org.ecpds.proto.RegisterUploadRequest;
import org.ecpds.proto.ReportDownloadReply;
import org.ecpds.proto.ReportDownloadRequest;

/**
 * Portal servers (in movers) ask the master who may do what, report downloads and send the changes
 * their users make; a thin translator to {@link PortalAccess}. Refusals are statuses by exception
 * type: PERMISSION_DENIED, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED (a destination's limit), UNAVAILABLE (the mover is not linked).
 */
public final class PortalGrpcService extends PortalServiceGrpc.PortalServiceImplBase {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PortalGrpcService.class);
  private final PortalAccess access;
  private final MoverRegistry movers;
  private final S3KeyService s3Keys;

  public PortalGrpcService(PortalAccess access, MoverRegistry movers) {
    this(access, movers, null);
  }

  /** @param s3Keys the S3 access keys; null: S3 logins are refused */
  public PortalGrpcService(PortalAccess access, MoverRegistry movers, S3KeyService s3Keys) {
    this.access = access;
    this.movers = movers;
    this.s3Keys = s3Keys;
  }

  @Override
  public void s3Credentials(S3CredentialsRequest r, StreamObserver<S3CredentialsReply> out) {
    answer(out, () -> (s3Keys == null ? Optional.<PortalAccess.S3Login>empty()
        : access.s3Credentials(s3Keys, r.getAccessKeyId()))
        .map(l -> S3CredentialsReply.newBuilder().setOk(true).setUser(l.user()).setSecretKey(l.secretKey())
            .addAllDestinations(l.destinations()).setLimits(access.limits(l.user())).build())
        .orElseGet(() -> S3CredentialsReply.newBuilder().setOk(false).build()));
  }

  @Override
  public void authenticate(AuthenticateRequest r, StreamObserver<AuthenticateReply> out) {
    answer(out, () -> login(access.authenticate(r.getUser(), r.getPassword()), r.getUser(), "Password authentication failed"));
  }

  @Override
  public void authenticateKey(AuthenticateKeyRequest r, StreamObserver<AuthenticateReply> out) {
    answer(out, () -> login(access.authenticateKey(r.getUser(), r.getPublicKey()), r.getUser(),
        "Public key authentication failed"));
  }

  private AuthenticateReply login(Optional<List<DestinationAccess>> granted, String user, String failure) {
    return granted.map(d -> AuthenticateReply.newBuilder().setOk(true).addAllDestinations(d)
            .setLimits(access.limits(user)).build())
        .orElseGet(() -> AuthenticateReply.newBuilder().setOk(false).setMessage(failure).build());
  }

  /** A page is sent once its files reach this size: well under gRPC's 4 MiB message limit. */
  public static final int PAGE_BYTES = 1 << 20;

  @Override
  public void listFiles(ListFilesRequest r, StreamObserver<ListFilesReply> out) {
    answerAll(out, () -> {
      List<ListFilesReply> pages = new ArrayList<>();
      ListFilesReply.Builder page = ListFilesReply.newBuilder().addAllDirectories(access.directories(r.getDestination()));
      int bytes = 0;
      java.util.Map<Long, String> moverNames = new java.util.HashMap<>(); // one lookup per mover, not per file
      for (PortalAccess.Entry e : access.list(r.getUser(), r.getDestination())) {
        PortalFile f = PortalFile.newBuilder().setName(e.name()).setSize(e.size()).setModifiedMillis(e.modifiedMs())
            .setDataFileId(e.dataFileId()).setTransferId(e.transferId()).setStatus(e.status())
            .setMoverName(moverNames.computeIfAbsent(e.moverId(), id -> movers.name(id).orElse("")))
            .putAllMetadata(e.metadata()).build();
        if (bytes > 0 && bytes + f.getSerializedSize() > PAGE_BYTES) {
          pages.add(page.build());
          page = ListFilesReply.newBuilder();
          bytes = 0;
        }
        page.addFiles(f);
        bytes += f.getSerializedSize() + 8; // + the field's tag and length
      }
      pages.add(page.build());
      return pages;
    });
  }

  @Override
  public void reportDownload(ReportDownloadRequest r, StreamObserver<ReportDownloadReply> out) {
    answer(out, () -> ReportDownloadReply.newBuilder().setOk(true)
        .setStatus(r.getPartial() ? access.downloadedPart(r.getUser(), r.getTransferId(), r.getBytes(), r.getReportId())
            : access.downloaded(r.getUser(), r.getTransferId(), r.getProtocol(), r.getBytes(), r.getReportId())).build());
  }

  @Override
  public void quota(org.ecpds.proto.QuotaRequest r, StreamObserver<org.ecpds.proto.QuotaReply> out) {
    answer(out, () -> {
      var u = access.quota(r.getUser());
      return org.ecpds.proto.QuotaReply.newBuilder().setUploadRemaining(u.uploadRemaining())
          .setDownloadRemaining(u.downloadRemaining()).build();
    });
  }

  @Override
  public void quotaCheck(org.ecpds.proto.QuotaCheckRequest r, StreamObserver<Empty> out) {
    answer(out, () -> {
      access.requireDownload(r.getUser(), r.getPath(), r.getDownloadBytes());
      return Empty.getDefaultInstance();
    });
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

  @Override
  public void registerUpload(RegisterUploadRequest r, StreamObserver<RegisterUploadReply> out) {
    answer(out, () -> RegisterUploadReply.newBuilder().setDataFileId(access.registerUpload(r.getUser(),
        r.getDestination(), r.getPath(), r.getSize(), r.getProtocol(), r.getMoverName(), r.getMetadataMap())).build());
  }

  @Override
  public void deleteFile(PortalPathRequest r, StreamObserver<Empty> out) {
    answer(out, () -> {
      access.delete(r.getUser(), r.getDestination(), r.getPath(), r.getProtocol());
      return Empty.getDefaultInstance();
    });
  }

  @Override
  public void makeDirectory(PortalPathRequest r, StreamObserver<Empty> out) {
    answer(out, () -> {
      access.makeDirectory(r.getUser(), r.getDestination(), r.getPath(), r.getProtocol());
      return Empty.getDefaultInstance();
    });
  }

  @Override
  public void removeDirectory(PortalPathRequest r, StreamObserver<Empty> out) {
    answer(out, () -> {
      access.removeDirectory(r.getUser(), r.getDestination(), r.getPath(), r.getProtocol());
      return Empty.getDefaultInstance();
    });
  }

  @Override
  public void rename(PortalRenameRequest r, StreamObserver<Empty> out) {
    answer(out, () -> {
      access.rename(r.getUser(), r.getDestination(), r.getFrom(), r.getTo(), r.getProtocol());
      return Empty.getDefaultInstance();
    });
  }

  private static <T> void answer(StreamObserver<T> out, Supplier<T> call) {
    answerAll(out, () -> List.of(call.get()));
  }

  /** The replies, or the refusal's status when making them fails. */
  private static <T> void answerAll(StreamObserver<T> out, Supplier<List<T>> call) {
    List<T> replies;
    try {
      replies = call.get();
    } catch (RuntimeException e) {
      out.onError(status(e).withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    replies.forEach(out::onNext);
    out.onCompleted();
  }

  /** The status of a refusal, by the exception's type (never its message). */
  static Status status(RuntimeException e) {
    if (e instanceof LimitExceeded) return Status.RESOURCE_EXHAUSTED;
    if (e instanceof ForbiddenException) return Status.PERMISSION_DENIED;
    if (e instanceof NotFoundException) return Status.NOT_FOUND;
    if (e instanceof AlreadyExistsException) return Status.ALREADY_EXISTS;
    if (e instanceof ConflictException) return Status.FAILED_PRECONDITION;
    if (e instanceof IllegalArgumentException) return Status.INVALID_ARGUMENT;
    if (e instanceof ServiceUnavailableException) return Status.UNAVAILABLE;
    LOG.error("portal call failed", e);
    return Status.INTERNAL;
  }
}
