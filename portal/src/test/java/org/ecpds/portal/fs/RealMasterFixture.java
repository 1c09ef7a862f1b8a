package org.ecpds.portal.fs;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.config.Config;
import org.ecpds.master.MasterNode;
import org.ecpds.master.domain.Permission;
import org.ecpds.mover.MoverNode;
import org.ecpds.portal.GrpcPortalBackend;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;

/**
 * The mover's portal against the real master on H2: a {@link MasterNode} with its gRPC services
 * in-process, a real {@link MoverNode} linked to it (data store, Stored reports), and a
 * {@link MoverPortal} over {@link GrpcPortalBackend}. Files are put in place the way users put them:
 * uploaded through the portal by a user holding every permission.
 */
public final class RealMasterFixture implements PortalFixture {
  private static final String SEEDER = "seeder";
  private static final String SEEDER_PW = "seeder-" + UUID.randomUUID();

  private final MasterNode master;
  private final MoverNode mover;
  private final List<ManagedChannel> channels;
  private final GrpcPortalBackend grpc;
  private final MoverPortal portal;
  private final List<String> downloads = new CopyOnWriteArrayList<>();
  private final Set<String> destinations = ConcurrentHashMap.newKeySet();

  public RealMasterFixture(Path dir) throws Exception {
    this(dir, new PathRuleAccess());
  }

  /** @param rule the mover's local permission rule; one that allows everything leaves every decision to the master */
  public RealMasterFixture(Path dir, AccessRule rule) throws Exception {
    TestDatabase db = TestDatabases.h2();
    String name = "portal-e2e-" + UUID.randomUUID();
    master = new MasterNode(Config.empty().with("master.dataDir", dir.resolve("master")).with("master.db.url", db.jdbcUrl())
        .with("master.db.user", db.user()).with("master.db.password", db.password()).with("master.rest.port", 0)
        .with("master.rest.host", "127.0.0.1").with("master.grpc.port", -1).with("master.inProcessName", name)
        .with("master.bcryptCost", 4)).start();
    ManagedChannel moverChannel = InProcessChannelBuilder.forName(name).build();
    ManagedChannel portalChannel = InProcessChannelBuilder.forName(name).build();
    channels = List.of(moverChannel, portalChannel);
    mover = new MoverNode(Config.empty().with("mover.name", "m1").with("mover.dataDir", dir.resolve("mover"))
        .with("mover.upload.port", 0).with("mover.upload.bind", "127.0.0.1").with("cluster.secret", master.clusterSecret()),
        moverChannel);
    mover.start();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!mover.masterLink().isConnected()) { // the link says hello in the background
      if (System.nanoTime() > end) throw new IllegalStateException("mover did not connect to the master");
      Thread.sleep(20);
    }
    grpc = new GrpcPortalBackend(portalChannel, master.clusterSecret(), mover.name(), id -> FileChannel.open(
        mover.dataStore().locate(id).orElseThrow(() -> new NoSuchFileException("data file " + id))));
    portal = new MoverPortal(new RecordingBackend(grpc, downloads), mover.dataStore(), mover.masterLink(),
        new LoginGuard(LoginGuard.DEFAULTS, Clock.systemUTC()), mover.name(), MoverPortal.Settings.DEFAULTS, rule);
    master.users().createIncoming(SEEDER, SEEDER_PW, "");
  }

  private void destination(String d) {
    if (destinations.add(d)) {
      master.destinations().create(d, null);
      master.users().grant(SEEDER, d, rights(EnumSet.allOf(FsPermission.class)));
    }
  }

  private static Permission.Rights rights(Set<FsPermission> p) {
    return new Permission.Rights(p.contains(FsPermission.GET), p.contains(FsPermission.PUT),
        p.contains(FsPermission.DELETE), p.contains(FsPermission.DIR), p.contains(FsPermission.MKDIR),
        p.contains(FsPermission.RMDIR), p.contains(FsPermission.RENAME), p.contains(FsPermission.SIZE),
        p.contains(FsPermission.MTIME), List.of());
  }

  @Override
  public PortalFixture user(String name, String password) {
    master.users().createIncoming(name, password, "");
    return this;
  }

  @Override
  public PortalFixture grant(String user, String destination, FsPermission... p) {
    destination(destination);
    master.users().grant(user, destination, rights(PortalFixture.set(p)));
    return this;
  }

  @Override
  public PortalFixture file(String path, byte[] content) {
    try (PortalFs fs = portal.password(SEEDER, SEEDER_PW, "sftp", CLIENT)) {
      FsPath p = FsPath.parse(path);
      destination(p.destination());
      FsPath dir = FsPath.ROOT.child(p.destination());
      for (String s : p.parent().segments().subList(1, p.parent().segments().size())) {
        dir = dir.child(s);
        try {
          fs.mkdir(dir);
        } catch (FsException e) {
          if (e.kind() != FsException.Kind.EXISTS) throw e;
        }
      }
      try (FsUpload u = fs.write(p)) {
        u.write(ByteBuffer.wrap(content));
        u.commit();
      }
    } catch (IOException | LoginException e) {
      throw new IllegalStateException("cannot put " + path + " in place", e);
    }
    return this;
  }

  /** What stands at {@code path} now, read through the portal by the seeding user; null when nothing does. */
  public byte[] content(String path) throws Exception {
    try (PortalFs fs = portal.password(SEEDER, SEEDER_PW, "sftp", CLIENT); FsReader r = fs.read(FsPath.parse(path))) {
      return r.stream(0, r.entry().size()).readAllBytes();
    } catch (FsException e) {
      if (e.kind() == FsException.Kind.NOT_FOUND) return null;
      throw e;
    }
  }

  /** The master, for what a test sets or checks there directly (limits, usage). */
  public MasterNode master() {
    return master;
  }

  @Override
  public PortalLogin login() {
    return portal;
  }

  @Override
  public List<String> downloads() {
    return List.copyOf(downloads);
  }

  @Override
  public void close() {
    grpc.close(Duration.ofSeconds(5));
    mover.close();
    master.close();
    channels.forEach(ManagedChannel::shutdownNow);
  }

  @Override
  public String toString() {
    return "MoverPortal+master";
  }
}
