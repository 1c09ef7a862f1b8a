package org.ecpds.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.TestDatabase;
import org.ecpds.testkit.TestDatabases;
import org.ecpds.testkit.Tools;

/**
 * Master, mover and monitor as separate OS processes (master on MariaDB) with an OpenSSH sshd as
 * the dissemination target. Ports are fixed once, so a process killed with SIGKILL comes back on
 * the same ones and its peers find it again.
 */
final class FaultCluster implements AutoCloseable {
  /** SECOND_MOVER is only started on demand (reads through another mover's portal). */
  enum Role { MASTER, MOVER, MONITOR, SECOND_MOVER }

  /** How long a (re)start may take: a loaded CI machine needs tens of seconds for a JVM and its pools. */
  static final Duration START = Duration.ofSeconds(150);
  static final String DESTINATION = "FAULTS";
  static final String MOVER_NAME = "mover-f";
  static final String SECOND_MOVER_NAME = "mover-g";
  static final String PORTAL_USER = "portal-user";
  static final String PORTAL_PASSWORD = "portal-secret-1";

  private final Path dir;
  private final OpenSshServer sshd;
  private final int restPort = FreePorts.next();
  private final int grpcPort = FreePorts.next();
  private final int uploadPort = FreePorts.next();
  private final int portalPort = FreePorts.next();
  private final int monitorPort = FreePorts.next();
  private final int secondUploadPort = FreePorts.next();
  private final int secondPortalPort = FreePorts.next();
  private final Map<Role, Path> configs = new EnumMap<>(Role.class);
  private final Map<Role, Process> running = new EnumMap<>(Role.class);
  private final List<Process> all = new ArrayList<>();
  private String adminPassword;
  private TestDatabase db;

  private FaultCluster(Path dir, OpenSshServer sshd) {
    this.dir = dir;
    this.sshd = sshd;
  }

  static FaultCluster start(Path dir) throws Exception {
    return start(dir, true);
  }

  /** Without the monitor when the test has no use for it (one JVM less to start on a loaded machine). */
  static FaultCluster start(Path dir, boolean withMonitor) throws Exception {
    Files.createDirectories(dir);
    Tools.require("sftp", "openssh-client");
    Tools.require("sshpass", "sshpass");
    TestDatabase db = TestDatabases.mariadb();
    FaultCluster c = new FaultCluster(dir, OpenSshServer.start());
    try {
      c.writeConfigs(db);
      c.launch(Role.MASTER);
      c.adminPassword = Files.readString(c.masterDir().resolve("admin-password")).strip();
      c.launch(Role.MOVER);
      if (withMonitor) c.launch(Role.MONITOR);
      Rest admin = c.admin();
      // generous requeues: every kill of the mover interrupts the running transfers once
      admin.call("POST", "destination", Map.of("name", DESTINATION, "maxConnections", 4, "retryFrequency", 500,
          "maxRequeue", 50));
      admin.call("POST", "host", Map.of("name", "target", "transferMethod", "sftp", "address", "127.0.0.1",
          "port", c.sshd.port(), "login", c.sshd.user(), "password", c.sshd.password(), "directory", "out"));
      admin.call("PUT", "destination/" + DESTINATION + "/host/target", Map.of("priority", 0));
      admin.call("POST", "incoming/user", Map.of("id", PORTAL_USER, "password", PORTAL_PASSWORD));
      admin.call("PUT", "incoming/user/" + PORTAL_USER + "/destination/" + DESTINATION, Map.of("get", true, "put", false));
      admin.awaitMoverOnline(MOVER_NAME, START);
      return c;
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  private void writeConfigs(TestDatabase db) throws Exception {
    this.db = db;
    Path cert = masterDir().resolve("tls/cert.pem");
    Path secret = masterDir().resolve("cluster.secret");
    configs.put(Role.MASTER, write("master.properties", "master.dataDir=" + masterDir(), "master.rest.host=127.0.0.1",
        "master.rest.port=" + restPort, "master.grpc.port=" + grpcPort, "master.bcryptCost=4",
        "master.moverGraceMillis=1000", "master.db.url=" + db.jdbcUrl(), "master.db.user=" + db.user(),
        "master.db.password=" + db.password()));
    configs.put(Role.MOVER, moverConfig(MOVER_NAME, uploadPort, portalPort, cert, secret));
    configs.put(Role.SECOND_MOVER, moverConfig(SECOND_MOVER_NAME, secondUploadPort, secondPortalPort, cert, secret));
    configs.put(Role.MONITOR, write("monitor.properties", "monitor.bind=127.0.0.1", "monitor.port=" + monitorPort,
        "monitor.tls.dir=" + dir.resolve("monitor/tls"), "master.host=127.0.0.1", "master.port=" + grpcPort,
        "master.trustCert=" + cert, "cluster.secretFile=" + secret));
  }

  private Path moverConfig(String name, int upload, int portal, Path cert, Path secret) throws Exception {
    return write(name + ".properties", "mover.name=" + name, "mover.dataDir=" + dir.resolve(name),
        "mover.upload.bind=127.0.0.1", "mover.upload.port=" + upload, "portal.sftp.bind=127.0.0.1",
        "portal.sftp.port=" + portal, "portal.https.port=-1", "portal.s3.port=-1", "portal.ftps.port=-1", "portal.ftps.implicitPort=-1", "master.host=127.0.0.1", "master.port=" + grpcPort,
        "mover.link.maxBackoff=1s", "mover.upload.ackTimeout=10s", "master.trustCert=" + cert,
        "cluster.secretFile=" + secret);
  }

  private Path write(String name, String... lines) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, String.join("\n", lines) + "\n");
    return p;
  }

  /** Starts the role's process and waits until it serves (the mover: until the master lists it online). */
  void launch(Role role) throws Exception {
    String process = role == Role.SECOND_MOVER ? "mover" : role.name().toLowerCase();
    Process p = JavaProcess.launch(all, process, configs.get(role), dir.resolve("processes.log"));
    running.put(role, p);
    switch (role) {
      case MASTER -> FreePorts.awaitListening(restPort, START, p);
      case MOVER -> FreePorts.awaitListening(uploadPort, START, p);
      case SECOND_MOVER -> FreePorts.awaitListening(secondUploadPort, START, p);
      case MONITOR -> FreePorts.awaitListening(monitorPort, START, p);
    }
  }

  /** kill -9 (destroyForcibly is SIGKILL on Linux), then waits until the process is gone. */
  void kill(Role role) throws InterruptedException {
    running.remove(role).destroyForcibly().waitFor();
  }

  Rest admin() throws Exception {
    return new Rest(restPort, masterDir().resolve("tls/cert.pem"), "admin", adminPassword);
  }

  /** The ecpds CLI arguments that reach the master as admin. */
  List<String> cliArgs() {
    return List.of("-echost", "localhost", "-ecport", String.valueOf(restPort), "-cacert",
        masterDir().resolve("tls/cert.pem").toString(), "-user", "admin", "-pass", adminPassword);
  }

  /** The ecpds CLI arguments that push one file as admin. */
  List<String> pushArgs(Path source) {
    List<String> args = new ArrayList<>(cliArgs());
    // well inside JavaProcess's 180 s: a push that cannot be settled in time says "unknown" (exit 4)
    args.addAll(List.of("-destination", DESTINATION, "-source", source.toString(), "-arrivalTimeoutSec", "60"));
    return args;
  }

  /** OpenSSH sftp against the mover's portal; returns the client's exit code. */
  int portalGet(String name, Path local) throws Exception {
    return portalGet(Role.MOVER, name, local);
  }

  /** The same through the portal of the given mover. */
  int portalGet(Role mover, String name, Path local) throws Exception {
    int port = mover == Role.SECOND_MOVER ? secondPortalPort : portalPort;
    Path batch = Files.createTempFile(dir, "sftp", ".batch");
    Files.writeString(batch, "get " + DESTINATION + "/" + name + " " + local + "\n");
    Process p = new ProcessBuilder("sshpass", "-p", PORTAL_PASSWORD, "sftp", "-o", "BatchMode=no", "-b",
        batch.toString(), "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "PubkeyAuthentication=no", "-P", String.valueOf(port), PORTAL_USER + "@127.0.0.1")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sftp.log").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("portal sftp get of " + name + " did not finish");
    }
    return p.exitValue();
  }

  /** A mover's data directory (its store is below it). */
  Path moverDir(Role mover) {
    return dir.resolve(mover == Role.SECOND_MOVER ? SECOND_MOVER_NAME : MOVER_NAME);
  }

  /** The first mover's store volume (mover.volumes' default). */
  Path moverVolume() {
    return moverDir(Role.MOVER).resolve("volume0");
  }

  /** The processes' output (the tests' logback sends the event records there too, as "ecpds.events - ACQ;..."). */
  Path processLog() {
    return dir.resolve("processes.log");
  }

  /** The master's database, for checks made while the master is down. */
  TestDatabase db() {
    return db;
  }

  /** The OpenSSH server of the dissemination target; tests may also use it as a source. */
  OpenSshServer sshd() {
    return sshd;
  }

  Path targetDir() {
    return sshd.home().resolve("out");
  }

  int monitorPort() {
    return monitorPort;
  }

  private Path masterDir() {
    return dir.resolve("master");
  }

  @Override
  public void close() throws Exception {
    for (Process p : all) p.destroyForcibly().waitFor();
    sshd.close();
  }
}
