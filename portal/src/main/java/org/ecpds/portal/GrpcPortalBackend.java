package org.ecpds.portal;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.portal.fs.FsException;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.proto.AuthenticateKeyRequest;
import org.ecpds.proto.LocateMoverRequest;
import org.ecpds.proto.S3CredentialsReply;
import org.ecpds.proto.S3CredentialsRequest;
import org.ecpds.proto.AuthenticateReply;
import org.ecpds.proto.QuotaCheckRequest;
import org.ecpds.proto.QuotaRequest;
import org.ecpds.proto.AuthenticateRequest;
import org.ecpds.proto.DeniedEvent;
import org.ecpds.proto.ListFilesReply;
import org.ecpds.proto.ListFilesRequest;
import org.ecpds.proto.PortalPathRequest;
import org.ecpds.proto.PortalRenameRequest;
import org.ecpds.proto.RegisterUploadRequest;
import org.ecpds.proto.PortalFile;
import org.ecpds.proto.PortalServiceGrpc;
import org.ecpds.proto.ReportDownloadReply;
import org.ecpds.proto.ReportDownloadRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PortalBackend} over the master's PortalService. Successful logins are cached briefly (keyed by
 * user and a digest of the password, never the password itself) and listings for a couple of seconds,
 * because clients reconnect and re-list far more often than the master's answers change. Content never
 * goes through the master: it is read from the {@link ContentSource} (the mover's data store) or, for a
 * file another mover holds, from that mover ({@link PeerReads}).
 */
public final class GrpcPortalBackend implements PortalBackend, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcPortalBackend.class);
  private static final int MAX_CACHED = 10_000;
  private static final int MAX_UNSENT_REPORTS = 10_000;
  private static final DownloadOutbox.Backoff REPORT_BACKOFF =
      new DownloadOutbox.Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));

  private final PortalServiceGrpc.PortalServiceBlockingStub stub;
  private final String moverName;
  private final ContentSource content;
  private final Duration rpcTimeout;
  private final ExpiringCache<String, PortalUser> logins;
  /** Every S3 request is signed: a client's burst of requests must not ask the master each time. */
  private final ExpiringCache<String, S3Grant> s3Grants;
  private final ExpiringCache<String, Listing> listings;
  private final DownloadOutbox downloads;
  private final PeerReads peers;

  public GrpcPortalBackend(Channel channel, String clusterSecret, String moverName, ContentSource content) {
    this(channel, clusterSecret, moverName, content, Duration.ofSeconds(30), Duration.ofSeconds(2),
        Duration.ofSeconds(15));
  }

  public GrpcPortalBackend(Channel channel, String clusterSecret, String moverName, ContentSource content,
      Duration loginTtl, Duration listingTtl, Duration rpcTimeout) {
    this.stub = PortalServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(ClusterAuth.callCredentials(clusterSecret));
    this.moverName = Objects.requireNonNull(moverName, "moverName");
    this.content = Objects.requireNonNull(content, "content");
    this.rpcTimeout = rpcTimeout;
    this.logins = new ExpiringCache<>(loginTtl, MAX_CACHED, System::nanoTime);
    this.s3Grants = new ExpiringCache<>(loginTtl, MAX_CACHED, System::nanoTime);
    this.listings = new ExpiringCache<>(listingTtl, MAX_CACHED, System::nanoTime);
    this.peers = new PeerReads(mover -> call().locateMover(LocateMoverRequest.newBuilder().setMoverName(mover).build()),
        UploadTokens.peerReads(clusterSecret));
    this.downloads = new DownloadOutbox(this::send, Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "portal-download-outbox");
      t.setDaemon(true);
      return t;
    }), REPORT_BACKOFF, MAX_UNSENT_REPORTS);
  }

  @Override
  public Optional<PortalUser> authenticate(String user, String password, String protocol, String remoteAddress) {
    String key = user + '\n' + digest(user, password);
    PortalUser cached = logins.getIfPresent(key);
    if (cached != null) return Optional.of(cached);
    AuthenticateReply reply;
    try {
      reply = call().authenticate(AuthenticateRequest.newBuilder().setUser(user).setPassword(password)
          .setProtocol(protocol).setRemoteAddress(remoteAddress).build());
    } catch (StatusRuntimeException e) {
      // Fail closed: without the master nobody can be checked.
      LOG.warn("authentication of {} failed: master unreachable ({})", user, e.getStatus());
      return Optional.empty();
    }
    if (!reply.getOk()) return Optional.empty();
    PortalUser portalUser = new PortalUser(user, reply.getDestinationsList(), reply.getLimits());
    logins.put(key, portalUser);
    return Optional.of(portalUser);
  }

  @Override
  public List<PortalFile> listFiles(String user, String destination) throws IOException {
    return listing(user, destination).files();
  }

  @Override
  public Listing listing(String user, String destination) throws IOException {
    return listings.get(user + '\n' + destination, k -> {
      try {
        ListFilesReply.Builder all = ListFilesReply.newBuilder(); // the pages, joined
        call().listFiles(ListFilesRequest.newBuilder().setUser(user).setDestination(destination).build())
            .forEachRemaining(all::mergeFrom);
        return new Listing(all.getFilesList(), all.getDirectoriesList());
      } catch (StatusRuntimeException e) {
        throw new IOException("cannot list " + destination + ": " + e.getStatus(), e);
      }
    });
  }

  /** Every user's listing of the destination: a change made by one user shows to the others at once. */
  @Override
  public void forgetListing(String user, String destination) {
    listings.invalidateIf(k -> k.endsWith('\n' + destination));
  }

  @Override
  public Optional<PortalUser> authenticateKey(String user, String publicKey, String protocol, String remoteAddress) {
    AuthenticateReply reply;
    try {
      reply = call().authenticateKey(AuthenticateKeyRequest.newBuilder().setUser(user).setPublicKey(publicKey)
          .setProtocol(protocol).setRemoteAddress(remoteAddress).build());
    } catch (StatusRuntimeException e) {
      LOG.warn("key authentication of {} failed: master unreachable ({})", user, e.getStatus());
      return Optional.empty();
    }
    return reply.getOk() ? Optional.of(new PortalUser(user, reply.getDestinationsList(), reply.getLimits())) : Optional.empty();
  }

  @Override
  public Optional<S3Grant> s3Credentials(String accessKeyId, String remoteAddress) {
    S3Grant cached = s3Grants.getIfPresent(accessKeyId);
    if (cached != null) return Optional.of(cached);
    S3CredentialsReply reply;
    try {
      reply = call().s3Credentials(S3CredentialsRequest.newBuilder().setAccessKeyId(accessKeyId)
          .setRemoteAddress(remoteAddress).build());
    } catch (StatusRuntimeException e) {
      LOG.warn("S3 credentials of {} not available: master unreachable ({})", accessKeyId, e.getStatus());
      return Optional.empty();
    }
    if (!reply.getOk()) return Optional.empty();
    S3Grant grant = new S3Grant(reply.getSecretKey(), new PortalUser(reply.getUser(), reply.getDestinationsList(), reply.getLimits()));
    s3Grants.put(accessKeyId, grant);
    return Optional.of(grant);
  }

  @Override
  public long uploadRemaining(Caller c, FsPath path) throws FsException {
    try {
      return call().quota(QuotaRequest.newBuilder().setUser(c.user()).build()).getUploadRemaining();
    } catch (StatusRuntimeException e) {
      throw PortalStatus.toFs(e, path, FsException.Kind.UNAVAILABLE);
    }
  }

  @Override
  public void requireDownload(Caller c, FsPath path, long bytes) throws FsException {
    try {
      call().quotaCheck(QuotaCheckRequest.newBuilder().setUser(c.user()).setDownloadBytes(bytes)
          .setPath(path.toString()).build());
    } catch (StatusRuntimeException e) {
      throw PortalStatus.toFs(e, path, FsException.Kind.UNAVAILABLE);
    }
  }

  @Override
  public long registerUpload(Caller c, FsPath path, long size, String mover, java.util.Map<String, String> metadata)
      throws FsException {
    try {
      return call().registerUpload(RegisterUploadRequest.newBuilder().setUser(c.user())
          .setDestination(path.destination()).setPath(path.relative()).setSize(size).setProtocol(c.protocol())
          .setRemoteAddress(c.remoteAddress()).setMoverName(mover).putAllMetadata(metadata).build()).getDataFileId();
    } catch (StatusRuntimeException e) {
      throw PortalStatus.toFs(e, path, FsException.Kind.NOT_DIRECTORY);
    }
  }

  @Override
  public void deleteFile(Caller c, FsPath path) throws FsException {
    try {
      call().deleteFile(pathRequest(c, path));
    } catch (StatusRuntimeException e) {
      throw PortalStatus.toFs(e, path, FsException.Kind.IS_DIRECTORY);
    }
  }

  @Override
  public void makeDirectory(Caller c, FsPath path) throws FsException {
    try {
      call().makeDirectory(pathRequest(c, path));
    } catch (StatusRuntimeException e) {
      throw PortalStatus.toFs(e, path, FsException.Kind.NOT_DIRECTORY);
    }
  }

  @Override
  public void removeDirectory(Caller c, FsPath path) throws FsException {
    try {
      call().removeDirectory(pathRequest(c, path));
    } catch (StatusRuntimeException e) {
      throw PortalStatus.toFs(e, path, FsException.Kind.NOT_EMPTY);
    }
  }

  @Override
  public void rename(Caller c, FsPath from, FsPath to) throws FsException {
    try {
      call().rename(PortalRenameRequest.newBuilder().setUser(c.user()).setDestination(from.destination())
          .setFrom(from.relative()).setTo(to.relative()).setProtocol(c.protocol())
          .setRemoteAddress(c.remoteAddress()).build());
    } catch (StatusRuntimeException e) {
      throw PortalStatus.toFs(e, from, FsException.Kind.NOT_DIRECTORY);
    }
  }

  private static PortalPathRequest pathRequest(Caller c, FsPath path) {
    return PortalPathRequest.newBuilder().setUser(c.user()).setDestination(path.destination())
        .setPath(path.relative()).setProtocol(c.protocol()).setRemoteAddress(c.remoteAddress()).build();
  }

  @Override
  public SeekableByteChannel openContent(PortalFile file) throws IOException {
    try {
      return content.open(file.getDataFileId());
    } catch (java.nio.file.NoSuchFileException notHere) {
      if (file.getMoverName().isEmpty() || file.getMoverName().equals(moverName)) throw notHere;
      return peers.open(file);
    }
  }

  /** Queued, never sent from the caller's thread: see {@link DownloadOutbox}. */
  @Override
  public void reportDownload(String user, PortalFile file, long bytes, String protocol, String remoteAddress)
      throws IOException {
    if (!downloads.submit(new DownloadOutbox.Report(user, file.getTransferId(), bytes, protocol, remoteAddress))) {
      throw new IOException("download report outbox is full or closed (" + downloads.pending() + " unsent)");
    }
  }

  @Override
  public void reportPartialDownload(String user, PortalFile file, long bytes, String protocol, String remoteAddress)
      throws IOException {
    if (!downloads.submit(new DownloadOutbox.Report(user, file.getTransferId(), bytes, protocol, remoteAddress, true))) {
      throw new IOException("download report outbox is full or closed (" + downloads.pending() + " unsent)");
    }
  }

  private void send(DownloadOutbox.Report r) {
    ReportDownloadReply reply = call().reportDownload(ReportDownloadRequest.newBuilder().setUser(r.user())
        .setTransferId(r.transferId()).setBytes(r.bytes()).setProtocol(r.protocol())
        .setRemoteAddress(r.remoteAddress()).setPartial(r.partial()).setReportId(r.id()).build());
    if (!reply.getOk()) {
      LOG.warn("master refused download report of transfer {} by {}: {}", r.transferId(), r.user(), reply.getStatus());
    }
  }

  @Override
  public void denied(String user, String message, String protocol, String remoteAddress) {
    try {
      call().reportDenied(DeniedEvent.newBuilder().setUser(user).setMessage(message).setProtocol(protocol)
          .setRemoteAddress(remoteAddress).setMoverName(moverName).build());
    } catch (StatusRuntimeException e) {
      LOG.warn("cannot report denied access of {} to the master: {}", user, e.getStatus());
    }
  }

  /** Sends the download reports still queued, for at most {@code drainFor}; logs those it could not. */
  public List<DownloadOutbox.Report> close(Duration drainFor) {
    return downloads.close(drainFor);
  }

  @Override
  public void close() {
    downloads.close();
  }

  private PortalServiceGrpc.PortalServiceBlockingStub call() {
    return stub.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Cache key material: a salted digest so that passwords never sit in memory longer than a login. */
  private static String digest(String user, String password) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(user.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      return HexFormat.of().formatHex(md.digest(password.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }
}
