package org.ecpds.master;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ecpds.common.auth.UploadTokens;
import org.ecpds.common.config.ClusterSecret;
import org.ecpds.common.config.Config;
import org.ecpds.common.config.SecretFiles;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.grpc.ClusterAuth;
import org.ecpds.common.grpc.GrpcTls;
import org.ecpds.common.tls.TlsMaterial;
import org.ecpds.master.db.Database;
import org.ecpds.master.grpc.AdminGrpcService;
import org.ecpds.master.grpc.MoverControlService;
import org.ecpds.master.grpc.PortalGrpcService;
import org.ecpds.master.movers.MoverRegistry;
import org.ecpds.master.movers.RemoteListings;
import org.ecpds.master.rest.ApiServiceFilter;
import org.ecpds.master.rest.BasicAuthFilter;
import org.ecpds.master.rest.ConfigResource;
import org.ecpds.master.rest.V1DataFileResource;
import org.ecpds.master.rest.V1DestinationResource;
import org.ecpds.master.rest.V1HostResource;
import org.ecpds.master.rest.V1IncomingResource;
import org.ecpds.master.rest.V1IncomingUserResource;
import org.ecpds.master.rest.DataFileResource;
import org.ecpds.master.rest.DestinationResource;
import org.ecpds.master.rest.HostResource;
import org.ecpds.master.service.AcquisitionService;
import org.ecpds.master.rest.IncomingUserResource;
import org.ecpds.master.service.S3KeyService;
import org.ecpds.master.rest.MoverResource;
import org.ecpds.master.rest.RestServer;
import org.ecpds.master.rest.TransferResource;
import org.ecpds.master.scheduler.ExpiryPurger;
import org.ecpds.master.notify.MqttOptions;
import org.ecpds.master.notify.NotificationPublisher;
import org.ecpds.master.scheduler.OperatorActions;
import org.ecpds.master.scheduler.RetrievalPolicy;
import org.ecpds.master.scheduler.RetrievalScheduler;
import org.ecpds.master.scheduler.RetrievalStore;
import org.ecpds.master.scheduler.SchedulerStore;
import org.ecpds.master.scheduler.TransferScheduler;
import org.ecpds.master.service.SettingsListener;
import org.ecpds.master.security.Passwords;
import org.ecpds.master.security.SecretBox;
import org.ecpds.master.service.DataFileService;
import org.ecpds.master.service.DestinationService;
import org.ecpds.master.service.HostService;
import org.ecpds.master.service.PortalAccess;
import org.ecpds.master.service.PortalQuotas;
import org.ecpds.master.service.PurgeService;
import org.ecpds.master.service.RetrievalService;
import org.ecpds.master.service.TransferQueries;
import org.ecpds.master.service.TransferStore;
import org.ecpds.master.service.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master process: wires the database, the service layer, the scheduler and the adapters
 * (REST over HTTPS, gRPC over TLS and, for the standalone, in-process gRPC).
 */
public final class MasterNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterNode.class);

  private final Config config;
  private final Path dataDir;
  private Database db;
  private TlsMaterial tls;
  private String clusterSecret;
  private String generatedAdminPassword;
  private Path adminPasswordFile;
  private TransferScheduler scheduler;
  private MoverControlService moverControl;
  private RestServer rest;
  private org.ecpds.master.metrics.MasterMetrics metrics;
  private ExpiryPurger purger;
  private NotificationPublisher notifications;
  private final java.util.concurrent.ScheduledExecutorService purgeTimer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ecpds-purge");
        t.setDaemon(true);
        return t;
      });
  private Server grpcServer;
  private Server inProcessServer;
  private UserService users;
  private PortalQuotas quotas;
  private DestinationService destinations;
  private HostService hosts;
  private AcquisitionService acquisition;
  private TransferQueries transferQueries;
  private DataFileService dataFiles;
  private MoverRegistry movers;
  private RemoteListings remoteListings;
  private org.ecpds.master.acquisition.AcquisitionScheduler acquisitionScheduler;
  private org.ecpds.master.scheduler.AcquisitionRunner acquisitionRunner;
  private java.util.concurrent.ScheduledExecutorService acquisitionTimer;
  private RetrievalService retrievalService;
  private RetrievalScheduler retrievals;
  private org.ecpds.master.service.GroupWaits groupWaits;

  private final java.time.Clock clock;
  private OperatorActions operatorActions;
  private LoginGuard loginGuard;

  public MasterNode(Config config) {
    this(config, java.time.Clock.systemUTC());
  }

  /** With the clock every time-based rule reads (tests pass a clock they advance). */
  public MasterNode(Config config, java.time.Clock clock) {
    this.config = config;
    this.clock = clock;
    this.dataDir = config.getPath("master.dataDir", Path.of("ecpds-data", "master")).toAbsolutePath();
  }

  public MasterNode start() throws Exception {
    Files.createDirectories(dataDir);
    tls = TlsMaterial.loadOrCreate(config.getPath("master.tls.dir", dataDir.resolve("tls")), hostNames());
    clusterSecret = ClusterSecret.readOrCreate(config, dataDir.resolve("cluster.secret"));
    SecretBox secrets = SecretBox.fromBase64(SecretFiles.readOrCreate(
        config.getPath("master.keyFile", dataDir.resolve("master.key")), 32));
    // WRITE_DELAY=0: H2 otherwise flushes commits up to 500 ms late, and a killed master lost them
    // (found by MasterRestartTest); every acknowledged status change must survive a crash.
    // QUERY_CACHE_SIZE=0: H2 reused a cached statement's result after a batched UPDATE in the same
    // transaction (the retrieval's open-group check saw a member still open: RetrievalEndToEndTest).
    String url = config.get("master.db.url",
        "jdbc:h2:file:" + dataDir.resolve("db").resolve("ecpds") + ";MODE=MariaDB;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0;QUERY_CACHE_SIZE=0"
        // H2 would close the database from its own shutdown hook, beside ours: the timers, the
        // publisher and the schedulers then failed on a closed database; close() closes it last
        + ";DB_CLOSE_ON_EXIT=FALSE");
    db = new Database(url, config.get("master.db.user", "sa"), config.get("master.db.password", ""),
        config.getInt("master.db.poolSize", 16, 1, 1000));
    LOG.info("database ready: {}", url.replaceAll("password=[^;&]*", "password=***"));

    Passwords passwords = new Passwords(config.getInt("master.bcryptCost", 10, 4, 31));
    metrics = new org.ecpds.master.metrics.MasterMetrics(db, clock);
    TransferStore store = new TransferStore(db, clock, metrics::changed);
    movers = new MoverRegistry(db);
    TransferScheduler[] listener = {null}; // the scheduler hears settings changes once it exists
    destinations = new DestinationService(db, () -> listener[0] == null ? SettingsListener.NONE : listener[0]);
    hosts = new HostService(db, secrets, destinations::hostsChanged);
    acquisition = new AcquisitionService(db, hosts, clock);
    users = new UserService(db, passwords, destinations);
    S3KeyService s3Keys = new S3KeyService(db, users, secrets);
    transferQueries = new TransferQueries(db, destinations);
    dataFiles = new DataFileService(db, destinations, users, movers, new UploadTokens(clusterSecret), store, clock);
    scheduler = new TransferScheduler(clock, new SchedulerStore(db, store, destinations), hosts, movers,
        config.getInt("scheduler.batchSize", 1, 1, 1000));
    listener[0] = scheduler;
    retrievalService = new RetrievalService(db, dataFiles, destinations, users, store, clock);
    TransferScheduler dissemination = scheduler;
    // a fetched file's transfers reach dissemination exactly as an upload's arrival does
    retrievals = new RetrievalScheduler(clock, new RetrievalStore(db, store, destinations), hosts, movers,
        RetrievalPolicy.from(config), dissemination::arrived);
    retrievalService.onPreset(retrievals::submitted);
    groupWaits = new org.ecpds.master.service.GroupWaits(retrievalService,
        config.getDuration("retrieval.waitRecheck", java.time.Duration.ofSeconds(1)));
    retrievals.onGroupSettled(groupWaits::settled);
    operatorActions = new OperatorActions(scheduler, retrievals, users, destinations, db, clock);
    quotas = new PortalQuotas(db, clock);
    PortalAccess portal = new PortalAccess(db, users, store, destinations, dataFiles, movers, operatorActions, clock,
        PortalAccess.Defaults.from(config), quotas);
    loginGuard = new LoginGuard(config, clock); // one per master: REST and monitor logins count together
    ensureAdmin();

    PurgeService purgeService = new PurgeService(db, DataFileService.UPLOAD_WINDOW.toMillis());
    remoteListings = new RemoteListings(movers);
    moverControl = new MoverControlService(movers, scheduler, dataFiles,
        config.getInt("master.moverGraceMillis", 3000), config.getInt("master.heartbeatSeconds", 5, 1, 3600), purgeService,
        retrievals, remoteListings);
    purger = new ExpiryPurger(purgeService, scheduler, movers, clock);
    long purgeEvery = config.getDuration("master.purgeFrequency", java.time.Duration.ofMinutes(1)).toMillis();
    purgeTimer.scheduleWithFixedDelay(purger, purgeEvery, purgeEvery, TimeUnit.MILLISECONDS);
    List<BindableService> services = List.of(moverControl, new PortalGrpcService(portal, movers, s3Keys),
        new AdminGrpcService(users, destinations, hosts, transferQueries, dataFiles, operatorActions, movers,
            new org.ecpds.master.service.MonitorConfig(users, destinations, hosts),
            new org.ecpds.master.service.TransferRates(db, destinations),
            new org.ecpds.master.service.WebSessions(clock)));
    scheduler.start();
    retrievals.start();
    if (config.getBoolean("mqtt.enabled", true)) {
      notifications = new NotificationPublisher(db, new NotificationPublisher.Settings(
          new MqttOptions.Broker(config.get("mqtt.url", ""), config.get("mqtt.user", ""), config.get("mqtt.password", "")),
          config.getDuration("mqtt.pollInterval", java.time.Duration.ofMillis(500)),
          config.getDuration("mqtt.retryMin", java.time.Duration.ofSeconds(1)),
          config.getDuration("mqtt.retryMax", java.time.Duration.ofMinutes(1)),
          config.getDuration("mqtt.timeout", java.time.Duration.ofSeconds(10))), clock);
      notifications.start();
    }
    acquisitionRunner = new org.ecpds.master.scheduler.AcquisitionRunner(hosts, destinations, acquisition,
        retrievalService, remoteListings, movers, new org.ecpds.master.acquisition.AcquiredFiles(db),
        new org.ecpds.master.acquisition.Observations(config.getInt("scheduler.acquisition.maxObservedFiles", 1_000_000, 1000,
            100_000_000)), clock, config.getInt("scheduler.acquisition.maxThreads", 4, 1, 200));
    acquisitionScheduler = new org.ecpds.master.acquisition.AcquisitionScheduler(clock, acquisition::targets, acquisitionRunner);
    if (config.getBoolean("scheduler.acquisition.enabled", true)) {
      acquisitionTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ecpds-acquisition-tick");
        t.setDaemon(true);
        return t;
      });
      acquisitionScheduler.start(acquisitionTimer, java.time.Duration.ofSeconds(1));
    }

    ServerInterceptor nodeAuth = ClusterAuth.serverInterceptor(clusterSecret, loginGuard, "master");
    int grpcPort = config.getPort("master.grpc.port", 2641);
    if (grpcPort >= 0) {
      var builder = Grpc.newServerBuilderForPort(grpcPort, GrpcTls.serverCredentials(tls));
      for (BindableService s : services) builder.addService(ServerInterceptors.intercept(s, nodeAuth));
      grpcServer = builder.permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true).build().start();
    }
    String inProcess = config.get("master.inProcessName", null);
    if (inProcess != null) {
      var builder = InProcessServerBuilder.forName(inProcess);
      for (BindableService s : services) builder.addService(ServerInterceptors.intercept(s, nodeAuth));
      inProcessServer = builder.build().start();
    }
    var profiles = new org.ecpds.master.service.IncomingProfiles(db, users);
    var configService = new org.ecpds.master.service.config.ConfigService(db, destinations, hosts, users, quotas, profiles);
    rest = new RestServer(config.get("master.rest.host", "0.0.0.0"), config.getPort("master.rest.port", 2640), tls,
        new BasicAuthFilter(users, loginGuard), ApiServiceFilter.from(config), List.of(
            new DestinationResource(destinations, users, operatorActions),
            new V1DestinationResource(destinations, users, operatorActions, configService),
            new V1HostResource(hosts, users), new V1IncomingUserResource(users, profiles, destinations),
            new V1IncomingResource(users, profiles),
            new V1DataFileResource(retrievalService, dataFiles, destinations, users, operatorActions, this::purgeNow),
            new ConfigResource(configService, users),
            new HostResource(hosts, users, acquisition, acquisitionScheduler::runNow, acquisitionRunner),
            new IncomingUserResource(users, s3Keys, quotas), new DataFileResource(dataFiles, destinations, transferQueries, users, operatorActions,
                this::purgeNow, retrievalService, groupWaits),
            new TransferResource(transferQueries, operatorActions, destinations, users), new MoverResource(movers, users),
            new org.ecpds.master.rest.WebUserResource(users),
            new org.ecpds.master.rest.ProductStatusResource(new org.ecpds.master.service.ProductStatusService(db, users, clock))));
    org.ecpds.common.metrics.MetricsToken.of(config).ifPresent(t -> rest.serveMetrics(metrics.registry(), t));
    rest.start();
    LOG.info("master up: REST https://localhost:{}{} gRPC {}", rest.port(), RestServer.BASE, grpcPort());
    return this;
  }

  private void ensureAdmin() throws IOException {
    String admin = config.get("master.adminUser", "admin");
    adminPasswordFile = dataDir.resolve("admin-password");
    if (users.hasWebUsers()) return;
    String given = config.get("master.adminPassword", null);
    generatedAdminPassword = given != null ? given : Passwords.generate();
    users.ensureWebUser(admin, generatedAdminPassword);
    SecretFiles.writePrivate(adminPasswordFile, generatedAdminPassword + "\n");
    LOG.info("created web user '{}'; its password is in {}", admin, adminPasswordFile);
  }

  private List<String> hostNames() {
    String names = config.get("master.tls.hostnames", "localhost");
    return List.of(names.split("\\s*,\\s*"));
  }

  /** Runs the expiry purge now (also runs every master.purgeFrequency). */
  public void purgeNow() {
    purger.purgeNow();
  }

  public int restPort() {
    return rest.port();
  }

  public int grpcPort() {
    return grpcServer == null ? -1 : grpcServer.getPort();
  }

  public TlsMaterial tls() {
    return tls;
  }

  public String clusterSecret() {
    return clusterSecret;
  }

  /** The admin password generated at this start (null when the admin already existed). */
  public String generatedAdminPassword() {
    return generatedAdminPassword;
  }

  public Path adminPasswordFile() {
    return adminPasswordFile;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Database database() {
    return db;
  }

  /** Incoming users' portal limits and usage. */
  public PortalQuotas quotas() {
    return quotas;
  }

  public UserService users() {
    return users;
  }

  public DestinationService destinations() {
    return destinations;
  }

  /** Acquisition rules in use: the dry run and the scheduler's targets. */
  public AcquisitionService acquisition() {
    return acquisition;
  }

  public HostService hosts() {
    return hosts;
  }

  public TransferQueries transfers() {
    return transferQueries;
  }

  public TransferScheduler scheduler() {
    return scheduler;
  }

  public OperatorActions operatorActions() {
    return operatorActions;
  }

  public MoverRegistry movers() {
    return movers;
  }

  /** Remote listings and deletes through a mover (acquisition). */
  /** The Acquisition Scheduler (its runNow is the monitor's and REST's "run now"). */
  public org.ecpds.master.acquisition.AcquisitionScheduler acquisitionScheduler() {
    return acquisitionScheduler;
  }

  public RemoteListings remoteListings() {
    return remoteListings;
  }

  public org.ecpds.master.service.GroupWaits groupWaits() {
    return groupWaits;
  }

  public RetrievalService retrievalService() {
    return retrievalService;
  }

  public RetrievalScheduler retrievals() {
    return retrievals;
  }

  /** Null when mqtt.enabled is false. */
  public NotificationPublisher notifications() {
    return notifications;
  }

  public DataFileService dataFiles() {
    return dataFiles;
  }

  @Override
  public void close() {
    if (groupWaits != null) groupWaits.close(); // long polls answered while the REST server still runs
    try {
      if (rest != null) rest.close();
    } catch (Exception e) {
      LOG.warn("REST server stop: {}", e.toString());
    }
    if (grpcServer != null) grpcServer.shutdownNow();
    if (inProcessServer != null) inProcessServer.shutdownNow();
    purgeTimer.shutdownNow();
    if (acquisitionScheduler != null) acquisitionScheduler.stop();
    if (acquisitionTimer != null) acquisitionTimer.shutdownNow();
    if (acquisitionRunner != null) acquisitionRunner.close();
    if (moverControl != null) moverControl.close();
    if (retrievals != null) retrievals.close();
    if (notifications != null) notifications.close();
    if (scheduler != null) scheduler.close();
    if (db != null) db.close();
  }
}
