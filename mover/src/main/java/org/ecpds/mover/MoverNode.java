package org.ecpds.mover;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.config.ClusterSecret;
import org.ecpds.common.config.Config;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.mover.dissemination.DisseminationExecutor;
import org.ecpds.mover.link.MasterChannels;
import org.ecpds.mover.link.InstructionRouter;
import org.ecpds.mover.listing.RemoteListingExecutor;
import org.ecpds.mover.link.MasterLink;
import org.ecpds.mover.retrieval.RetrievalExecutor;
import org.ecpds.mover.link.ResultSink;
import org.ecpds.mover.link.StoredOutbox;
import org.ecpds.mover.store.DataStore;
import org.ecpds.mover.store.VolumeInfo;
import org.ecpds.mover.transfer.TransferModules;
import org.ecpds.mover.upload.UploadServer;
import org.ecpds.mover.transfer.sftp.SftpModuleFactory;
import org.ecpds.proto.Heartbeat;
import org.ecpds.proto.Hello;
import org.ecpds.proto.InstructionResult;
import org.ecpds.proto.Progress;
import org.ecpds.proto.Volume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data mover: data store, master link, upload endpoint and transfer executor, wired from a
 * {@link Config}.
 *
 * <table>
 *   <caption>Configuration keys</caption>
 *   <tr><td>mover.name</td><td>host name</td><td>name the master knows this mover by</td></tr>
 *   <tr><td>mover.dataDir</td><td>./ecpds-data/mover</td><td>base directory</td></tr>
 *   <tr><td>mover.volumes</td><td>&lt;dataDir&gt;/volume0</td><td>comma-separated volume directories</td></tr>
 *   <tr><td>mover.maxTransfers</td><td>8</td><td>parallel transfers (sessions)</td></tr>
 *   <tr><td>mover.listing.maxParallel</td><td>4</td><td>remote listings and deletes (acquisition) at once</td></tr>
 *   <tr><td>mover.batchSize</td><td>32</td><td>most waiting files of a host one session takes at once</td></tr>
 *   <tr><td>mover.retrieval.rateGrace</td><td>10s</td><td>how long a fetch runs before the host's retrieval.minimumRate applies</td></tr>
 *   <tr><td>mover.upload.port</td><td>4443</td><td>HTTPS upload port (0 = ephemeral)</td></tr>
 *   <tr><td>mover.upload.bind</td><td>0.0.0.0</td><td>address the upload endpoint listens on</td></tr>
 *   <tr><td>mover.upload.host</td><td>127.0.0.1</td><td>host advertised in the upload URL</td></tr>
 *   <tr><td>mover.upload.ackTimeout</td><td>120s</td><td>wait for the master's StoredAck before answering 503 "pending"</td></tr>
 *   <tr><td>mover.outboxDir</td><td>&lt;dataDir&gt;/outbox</td><td>Stored reports not yet answered by the master</td></tr>
 *   <tr><td>mover.tls.dir</td><td>&lt;dataDir&gt;/tls</td><td>cert.pem/key.pem (generated when absent)</td></tr>
 *   <tr><td>mover.link.initialBackoff / maxBackoff</td><td>500ms / 10s</td><td>reconnect delays (doubling, jittered)</td></tr>
 *   <tr><td>mover.progressInterval</td><td>1s</td><td>progress report period</td></tr>
 *   <tr><td>master.host / master.port</td><td>127.0.0.1 / 2641</td><td>master gRPC endpoint (unused when a channel is injected)</td></tr>
 *   <tr><td>master.trustCert</td><td>-</td><td>PEM file of the master's certificate (required without an injected channel)</td></tr>
 *   <tr><td>cluster.secret / cluster.secretFile</td><td>-</td><td>shared cluster secret (one is required)</td></tr>
 * </table>
 */
public final class MoverNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MoverNode.class);
  public static final String VERSION = "0.1.0";

  private final Config config;
  private final Channel injectedChannel;
  private final String name;
  private final String secret;
  private final int maxTransfers;
  private final Map<String, String> portalEndpoints = new ConcurrentHashMap<>();
  private final List<AutoCloseable> started = new ArrayList<>();

  private DataStore store;
  private TransferModules modules;
  private DisseminationExecutor executor;
  private RetrievalExecutor retrievals;
  private RemoteListingExecutor listings;
  private UploadServer upload;
  private MasterLink link;
  private ManagedChannel ownChannel;
  private TlsMaterial tls;
  private final org.ecpds.mover.metrics.MoverMetrics metrics = new org.ecpds.mover.metrics.MoverMetrics();

  public MoverNode(Config config) {
    this(config, null);
  }

  /** @param masterChannel an in-process channel (standalone) or null to dial master.host:port over TLS */
  public MoverNode(Config config, Channel masterChannel) {
    this.config = config;
    this.injectedChannel = masterChannel;
    this.name = config.get("mover.name", defaultName());
    this.secret = ClusterSecret.require(config);
    this.maxTransfers = config.getInt("mover.maxTransfers", 8, 1, 10_000);
  }

  public synchronized void start() throws Exception {
    Path dataDir = config.getPath("mover.dataDir", Path.of("ecpds-data", "mover"));
    try {
      store = DataStore.open(volumes(dataDir));
      modules = started(new TransferModules().register(new SftpModuleFactory())
          .register(new org.ecpds.mover.transfer.scp.ScpModuleFactory())
          .register(new org.ecpds.mover.transfer.local.LocalModuleFactory())
          .register(new org.ecpds.mover.transfer.test.TestModuleFactory())
          .register(new org.ecpds.mover.transfer.ftp.FtpModuleFactory())
          .register(new org.ecpds.mover.transfer.http.HttpModuleFactory())
          .register(new org.ecpds.mover.transfer.webdav.WebDavModuleFactory())
          .register(new org.ecpds.mover.transfer.s3.S3ModuleFactory()));
      ResultSink toMaster = new ResultSink() {
        @Override
        public void sendResult(InstructionResult result) {
          link.sendResult(result);
        }

        @Override
        public void sendProgress(Progress progress) {
          link.sendProgress(progress);
        }
      };
      executor = started(new DisseminationExecutor(store, modules, toMaster, maxTransfers,
          config.getDuration("mover.progressInterval", Duration.ofSeconds(1)),
          config.getInt("mover.batchSize", DisseminationExecutor.DEFAULT_BATCH, 1, 10_000), metrics));
      // fetches count against mover.maxTransfers on the master, so the pool has as many threads
      retrievals = started(new RetrievalExecutor(store, modules, toMaster, maxTransfers,
          config.getDuration("mover.progressInterval", Duration.ofSeconds(1)),
          config.getDuration("mover.retrieval.rateGrace", Duration.ofSeconds(10))));
      String advertised = config.get("mover.upload.host", "127.0.0.1");
      tls = TlsMaterial.loadOrCreate(config.getPath("mover.tls.dir", dataDir.resolve("tls")), List.of(advertised));
      listings = started(new RemoteListingExecutor(modules, toMaster, page -> link.sendListingPage(page),
          config.getInt("mover.listing.maxParallel", 4, 1, 100)));
      link = new MasterLink(this::masterChannel, secret, this::hello, this::heartbeat,
          listings.before(new InstructionRouter(executor, retrievals)),
          config.getDuration("mover.link.initialBackoff", Duration.ofMillis(500)),
          config.getDuration("mover.link.maxBackoff", Duration.ofSeconds(10)),
          StoredOutbox.open(config.getPath("mover.outboxDir", dataDir.resolve("outbox")), store));
      upload = started(new UploadServer(config.get("mover.upload.bind", "0.0.0.0"),
          config.getPort("mover.upload.port", 4443), tls, store, new UploadTokens(secret), link,
          config.getDuration("mover.upload.ackTimeout", Duration.ofSeconds(120)), name,
          new LoginGuard(config, java.time.Clock.systemUTC()), UploadTokens.peerReads(secret)));
      org.ecpds.common.metrics.MetricsToken.of(config).ifPresent(t -> upload.serveMetrics(metrics.registry(), t));
      upload.start();
      started(link);
      link.heldFiles(store::heldIds); // after the Welcome, in pages
      link.start();
      LOG.info("mover {} started: upload {} , volumes {}", name, upload.url(advertised), store.volumes());
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T started(T c) {
    started.add(c);
    return c;
  }

  private List<Path> volumes(Path dataDir) {
    String v = config.get("mover.volumes", null);
    if (v == null) return List.of(dataDir.resolve("volume0"));
    return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of).toList();
  }

  private synchronized Channel masterChannel() {
    if (injectedChannel != null) return injectedChannel;
    if (ownChannel == null) {
      Path pem = config.getPath("master.trustCert", null);
      if (pem == null) throw new IllegalStateException("missing configuration key: master.trustCert");
      try {
        ownChannel = MasterChannels.tls(config.get("master.host", "127.0.0.1"), config.getRemotePort("master.port", 2641),
            Files.readString(pem));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read master.trustCert " + pem + ": " + e.getMessage(), e);
      }
    }
    return ownChannel;
  }

  private Hello hello() {
    return Hello.newBuilder().setMoverName(name).setVersion(VERSION).addAllVolumes(protoVolumes())
        .setMaxTransfers(maxTransfers).setUploadUrl(upload.url(config.get("mover.upload.host", "127.0.0.1")))
        .setUploadCertPem(tls.certificatePem()).putAllPortalEndpoints(portalEndpoints)
        .addAllRunningCorrelationIds(executor.runningCorrelationIds())
        .addAllRunningCorrelationIds(retrievals.runningCorrelationIds())
        .build();
  }

  private Heartbeat heartbeat() {
    return Heartbeat.newBuilder().setRunningTransfers(executor.runningCount() + retrievals.runningCount()).addAllVolumes(protoVolumes())
        .setLoad(Math.max(0, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())).build();
  }

  private List<Volume> protoVolumes() {
    List<Volume> out = new ArrayList<>();
    for (VolumeInfo v : store.volumes()) {
      out.add(Volume.newBuilder().setPath(v.path().toString()).setFreeBytes(v.freeBytes()).setTotalBytes(v.totalBytes()).build());
    }
    return out;
  }

  /** Portal listeners in this process ("sftp" -> "host:port"), announced in the next Hello. */
  public void advertisePortal(String protocol, String hostAndPort) {
    portalEndpoints.put(protocol, hostAndPort);
  }

  public String name() {
    return name;
  }

  public DataStore dataStore() {
    return store;
  }

  public MasterLink masterLink() {
    return link;
  }

  public UploadServer uploadServer() {
    return upload;
  }

  /** The transfer modules every dissemination, fetch and listing of this mover goes through. */
  public TransferModules transferModules() {
    return modules;
  }

  public DisseminationExecutor executor() {
    return executor;
  }

  public RetrievalExecutor retrievals() {
    return retrievals;
  }

  public RemoteListingExecutor listings() {
    return listings;
  }

  public TlsMaterial tls() {
    return tls;
  }

  @Override
  public synchronized void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        LOG.warn("error while stopping {}: {}", started.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    started.clear();
    if (ownChannel != null) {
      ownChannel.shutdownNow();
      try {
        ownChannel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String defaultName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "mover";
    }
  }
}
