package org.ecpds.portal.fs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.mover.store.DataStore;
import org.ecpds.portal.GrpcPortalBackend;
import org.ecpds.portal.PortalBackend;
import org.ecpds.portal.PortalUser;
import org.ecpds.proto.DestinationAccess;
import org.ecpds.proto.PathRule;
import org.ecpds.proto.PortalFile;

/**
 * A portal to test against, built the same way whatever is behind it: the in-memory contract
 * ({@link MemoryPortal}) or the mover's real one over a master. Downloads are listed as "user /path".
 */
public interface PortalFixture extends AutoCloseable {
  InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);

  PortalFixture user(String name, String password);

  /** All permissions when none are named. */
  PortalFixture grant(String user, String destination, FsPermission... permissions);

  PortalFixture file(String path, byte[] content);

  PortalLogin login();

  List<String> downloads();

  default PortalFs session(String user, String password) throws LoginException {
    return login().password(user, password, "sftp", CLIENT);
  }

  @Override
  default void close() throws Exception {}

  static EnumSet<FsPermission> set(FsPermission... p) {
    return p.length == 0 ? EnumSet.allOf(FsPermission.class) : EnumSet.of(p[0], p);
  }

  /** The in-memory contract. */
  final class Memory implements PortalFixture {
    private final MemoryPortal portal = new MemoryPortal();

    @Override public PortalFixture user(String name, String password) { portal.user(name, password); return this; }
    @Override public PortalFixture grant(String user, String d, FsPermission... p) { portal.grant(user, d, p); return this; }
    @Override public PortalFixture file(String path, byte[] content) { portal.file(path, content); return this; }
    @Override public PortalLogin login() { return portal; }

    @Override
    public List<String> downloads() {
      return portal.downloads.stream().map(d -> d.user() + " " + d.path()).toList();
    }

    @Override
    public String toString() {
      return "MemoryPortal";
    }
  }

  /**
   * The mover's portal ({@link MoverPortal} over {@link GrpcPortalBackend}, a real {@link DataStore})
   * against {@link FakePortalMaster} served in-process with the cluster secret.
   */
  final class Mover implements PortalFixture {
    final FakePortalMaster master = new FakePortalMaster();
    private final Server server;
    private final ManagedChannel channel;
    private final GrpcPortalBackend grpc;
    final DataStore store;
    private final MoverPortal portal;
    private final List<String> downloads = new CopyOnWriteArrayList<>();

    Mover(Path dir) throws IOException {
      this(dir, MoverPortal.Settings.DEFAULTS);
    }

    Mover(Path dir, MoverPortal.Settings settings) throws IOException {
      store = DataStore.open(List.of(dir.resolve("vol")));
      String name = InProcessServerBuilder.generateName();
      server = InProcessServerBuilder.forName(name).directExecutor()
          .addService(ServerInterceptors.intercept(master, ClusterAuth.serverInterceptor("secret"))).build().start();
      channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      grpc = new GrpcPortalBackend(channel, "secret", "m1", id -> FileChannel.open(store.locate(id)
          .orElseThrow(() -> new NoSuchFileException("data file " + id))), Duration.ofSeconds(30), Duration.ofSeconds(2),
          Duration.ofSeconds(5));
      portal = new MoverPortal(new RecordingBackend(grpc, downloads), store, master, new LoginGuard(LoginGuard.DEFAULTS, Clock.systemUTC()),
          "m1", settings);
    }

    @Override
    public PortalFixture user(String name, String password) {
      master.user(name, password);
      return this;
    }

    @Override
    public PortalFixture grant(String user, String destination, FsPermission... p) {
      master.grant(user, access(destination, set(p)).build());
      return this;
    }

    /** A grant with path rules: "permission=regex". */
    PortalFixture grantWithRules(String user, String destination, EnumSet<FsPermission> p, String... rules) {
      DestinationAccess.Builder b = access(destination, p);
      for (String r : rules) {
        int eq = r.indexOf('=');
        b.addPathRules(PathRule.newBuilder().setPermission(r.substring(0, eq)).setRegex(r.substring(eq + 1)));
      }
      master.grant(user, b.build());
      return this;
    }

    private static DestinationAccess.Builder access(String destination, EnumSet<FsPermission> p) {
      return DestinationAccess.newBuilder().setDestination(destination).setGet(p.contains(FsPermission.GET))
          .setPut(p.contains(FsPermission.PUT)).setDelete(p.contains(FsPermission.DELETE))
          .setDir(p.contains(FsPermission.DIR)).setMkdir(p.contains(FsPermission.MKDIR))
          .setRmdir(p.contains(FsPermission.RMDIR)).setRename(p.contains(FsPermission.RENAME))
          .setSize(p.contains(FsPermission.SIZE)).setMtime(p.contains(FsPermission.MTIME));
    }

    @Override
    public PortalFixture file(String path, byte[] content) {
      try {
        FsPath p = FsPath.parse(path);
        long id = master.file(p.destination(), p.relative(), content.length);
        store.store(id, new ByteArrayInputStream(content), content.length);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return this;
    }

    @Override
    public PortalLogin login() {
      return portal;
    }

    MoverPortal portal() {
      return portal;
    }

    @Override
    public List<String> downloads() {
      return List.copyOf(downloads);
    }

    @Override
    public void close() {
      grpc.close(Duration.ofSeconds(5));
      channel.shutdownNow();
      server.shutdownNow();
    }

    @Override
    public String toString() {
      return "MoverPortal";
    }

  }
}
