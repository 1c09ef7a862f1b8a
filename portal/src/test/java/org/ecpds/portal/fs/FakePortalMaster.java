package org.ecpds.portal.fs;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ecpds.mover.link.StoredReporter;
import org.ecpds.proto.AuthenticateKeyRequest;
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
import org.ecpds.proto.Stored;
import org.ecpds.proto.StoredAck;

/**
 * The master's PortalService in memory, for tests of the mover's portal before the real one is merged:
 * users with grants (and path rules, checked with the same {@link PathRuleAccess} rule), listings,
 * directories, uploads registered then stored (it is also the mover link's {@link StoredReporter}),
 * downloads and refusals recorded. Refusals are the gRPC statuses ecpds.proto documents.
 */
final class FakePortalMaster extends PortalServiceGrpc.PortalServiceImplBase implements StoredReporter {
  private record Account(String password, Map<String, DestinationAccess> grants) {}

  private record Pending(String user, String destination, String path, Map<String, String> metadata) {}

  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, String> keys = new HashMap<>();
  private final Map<String, TreeMap<String, PortalFile>> files = new HashMap<>();
  private final Map<String, TreeSet<String>> dirs = new HashMap<>();
  private final Map<Long, Pending> pending = new HashMap<>();
  private final PathRuleAccess rule = new PathRuleAccess();
  final List<Long> downloads = new CopyOnWriteArrayList<>();
  final List<String> denied = new CopyOnWriteArrayList<>();
  private long nextId = 1;
  volatile boolean connected = true;
  /** Stored reports get no answer (the master's ack is lost or late). */
  volatile boolean silent;
  /** When set, every upload registration is refused with this status (quota tests). */
  volatile Status uploadRefusal;

  synchronized void user(String name, String password) {
    accounts.put(name, new Account(password, new HashMap<>()));
  }

  synchronized void key(String user, String openSshKey) {
    keys.put(user, openSshKey);
  }

  synchronized void grant(String user, DestinationAccess access) {
    accounts.get(user).grants().put(access.getDestination(), access);
  }

  /** A file disseminated to the destination; returns its data file id (the caller stores the content). */
  synchronized long file(String destination, String name, long size) {
    long id = nextId++;
    files.computeIfAbsent(destination, d -> new TreeMap<>()).put(name, PortalFile.newBuilder().setName(name)
        .setSize(size).setModifiedMillis(System.currentTimeMillis()).setDataFileId(id).setTransferId(1000 + id)
        .setStatus("HOLD").setMoverName("m1").build());
    return id;
  }

  synchronized PortalFile byTransfer(long transferId) {
    for (var dest : files.values()) for (PortalFile f : dest.values()) if (f.getTransferId() == transferId) return f;
    return null;
  }

  synchronized String destinationOf(long transferId) {
    for (var e : files.entrySet()) for (PortalFile f : e.getValue().values()) if (f.getTransferId() == transferId) return e.getKey();
    return null;
  }

  // ---------------------------------------------------------------------------------- service

  @Override
  public synchronized void authenticate(AuthenticateRequest r, StreamObserver<AuthenticateReply> out) {
    Account a = accounts.get(r.getUser());
    reply(out, login(a != null && a.password().equals(r.getPassword()) ? a : null));
  }

  @Override
  public synchronized void authenticateKey(AuthenticateKeyRequest r, StreamObserver<AuthenticateReply> out) {
    boolean ok = r.getPublicKey().equals(keys.get(r.getUser()));
    reply(out, login(ok ? accounts.get(r.getUser()) : null));
  }

  private static AuthenticateReply login(Account a) {
    if (a == null) return AuthenticateReply.newBuilder().setOk(false).setMessage("refused").build();
    return AuthenticateReply.newBuilder().setOk(true).addAllDestinations(a.grants().values()).build();
  }

  @Override
  public synchronized void listFiles(ListFilesRequest r, StreamObserver<ListFilesReply> out) {
    reply(out, ListFilesReply.newBuilder().addAllFiles(files.getOrDefault(r.getDestination(), new TreeMap<>()).values())
        .addAllDirectories(dirs.getOrDefault(r.getDestination(), new TreeSet<>())).build());
  }

  @Override
  public void reportDownload(ReportDownloadRequest r, StreamObserver<ReportDownloadReply> out) {
    downloads.add(r.getTransferId());
    reply(out, ReportDownloadReply.newBuilder().setOk(true).setStatus("DONE").build());
  }

  @Override
  public void reportDenied(DeniedEvent r, StreamObserver<Empty> out) {
    denied.add(r.getUser() + ": " + r.getMessage());
    reply(out, Empty.getDefaultInstance());
  }

  @Override
  public synchronized void registerUpload(RegisterUploadRequest r, StreamObserver<RegisterUploadReply> out) {
    if (!check(r.getUser(), r.getDestination(), FsPermission.PUT, r.getPath(), out)) return;
    if (uploadRefusal != null) {
      out.onError(uploadRefusal.asRuntimeException());
      return;
    }
    if (isDir(r.getDestination(), r.getPath())) {
      out.onError(Status.FAILED_PRECONDITION.withDescription("a directory is there").asRuntimeException());
      return;
    }
    long id = nextId++;
    pending.put(id, new Pending(r.getUser(), r.getDestination(), r.getPath(), r.getMetadataMap()));
    reply(out, RegisterUploadReply.newBuilder().setDataFileId(id).build());
  }

  @Override
  public synchronized void deleteFile(PortalPathRequest r, StreamObserver<Empty> out) {
    if (!check(r.getUser(), r.getDestination(), FsPermission.DELETE, r.getPath(), out)) return;
    if (files.getOrDefault(r.getDestination(), new TreeMap<>()).remove(r.getPath()) == null) {
      out.onError(Status.NOT_FOUND.withDescription("no such file").asRuntimeException());
      return;
    }
    reply(out, Empty.getDefaultInstance());
  }

  @Override
  public synchronized void makeDirectory(PortalPathRequest r, StreamObserver<Empty> out) {
    if (!check(r.getUser(), r.getDestination(), FsPermission.MKDIR, r.getPath(), out)) return;
    if (isDir(r.getDestination(), r.getPath()) || files.getOrDefault(r.getDestination(), new TreeMap<>()).containsKey(r.getPath())) {
      out.onError(Status.ALREADY_EXISTS.withDescription("exists").asRuntimeException());
      return;
    }
    dirs.computeIfAbsent(r.getDestination(), d -> new TreeSet<>()).add(r.getPath());
    reply(out, Empty.getDefaultInstance());
  }

  @Override
  public synchronized void removeDirectory(PortalPathRequest r, StreamObserver<Empty> out) {
    if (!check(r.getUser(), r.getDestination(), FsPermission.RMDIR, r.getPath(), out)) return;
    String prefix = r.getPath() + "/";
    boolean full = files.getOrDefault(r.getDestination(), new TreeMap<>()).keySet().stream().anyMatch(n -> n.startsWith(prefix))
        || dirs.getOrDefault(r.getDestination(), new TreeSet<>()).stream().anyMatch(n -> n.startsWith(prefix));
    if (full) {
      out.onError(Status.FAILED_PRECONDITION.withDescription("not empty").asRuntimeException());
      return;
    }
    if (!dirs.getOrDefault(r.getDestination(), new TreeSet<>()).remove(r.getPath())) {
      out.onError(Status.NOT_FOUND.withDescription("no such directory").asRuntimeException());
      return;
    }
    reply(out, Empty.getDefaultInstance());
  }

  @Override
  public synchronized void rename(PortalRenameRequest r, StreamObserver<Empty> out) {
    if (!check(r.getUser(), r.getDestination(), FsPermission.RENAME, r.getFrom(), out)) return;
    TreeMap<String, PortalFile> fs = files.computeIfAbsent(r.getDestination(), d -> new TreeMap<>());
    TreeSet<String> ds = dirs.computeIfAbsent(r.getDestination(), d -> new TreeSet<>());
    String from = r.getFrom();
    String to = r.getTo();
    PortalFile f = fs.remove(from);
    if (f != null) {
      fs.put(to, f.toBuilder().setName(to).build());
    } else {
      boolean moved = false;
      for (String n : new ArrayList<>(fs.keySet())) {
        if (n.startsWith(from + "/")) {
          String name = to + n.substring(from.length());
          fs.put(name, fs.remove(n).toBuilder().setName(name).build());
          moved = true;
        }
      }
      for (String d : new ArrayList<>(ds)) {
        if (d.equals(from) || d.startsWith(from + "/")) {
          ds.remove(d);
          ds.add(to + d.substring(from.length()));
          moved = true;
        }
      }
      if (!moved) {
        out.onError(Status.NOT_FOUND.withDescription("nothing at " + from).asRuntimeException());
        return;
      }
    }
    reply(out, Empty.getDefaultInstance());
  }

  private boolean isDir(String destination, String path) {
    String prefix = path + "/";
    return dirs.getOrDefault(destination, new TreeSet<>()).contains(path)
        || files.getOrDefault(destination, new TreeMap<>()).keySet().stream().anyMatch(n -> n.startsWith(prefix));
  }

  private boolean check(String user, String destination, FsPermission p, String path, StreamObserver<?> out) {
    Account a = accounts.get(user);
    DestinationAccess grant = a == null ? null : a.grants().get(destination);
    if (grant == null || !rule.allows(grant, p, path)) {
      out.onError(Status.PERMISSION_DENIED.withDescription(p + " not granted on " + path).asRuntimeException());
      return false;
    }
    return true;
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  // --------------------------------------------------------------------------- mover link side

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public synchronized CompletableFuture<StoredAck> reportStored(Stored s) {
    if (silent) return new CompletableFuture<>();
    Pending p = pending.remove(s.getDataFileId());
    if (p == null) return CompletableFuture.completedFuture(StoredAck.newBuilder().setDataFileId(s.getDataFileId()).setOk(false)
        .setRefused(true).setMessage("unknown data file").build());
    files.computeIfAbsent(p.destination(), d -> new TreeMap<>()).put(p.path(), PortalFile.newBuilder()
        .setName(p.path()).setSize(s.getSize()).setModifiedMillis(System.currentTimeMillis())
        .setDataFileId(s.getDataFileId()).setTransferId(1000 + s.getDataFileId()).setStatus("HOLD")
        .setMoverName("m1").putAllMetadata(p.metadata()).build());
    return CompletableFuture.completedFuture(StoredAck.newBuilder().setCorrelationId(s.getCorrelationId())
        .setDataFileId(s.getDataFileId()).setOk(true).build());
  }
}
