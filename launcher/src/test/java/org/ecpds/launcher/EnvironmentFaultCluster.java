package org.ecpds.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.OpenSshServer;
import org.ecpds.testkit.TestDatabase;

/**
 * What the environment-fault tests share: a master and a mover as separate processes, a destination
 * FAULTS delivering over SFTP to a private sshd, CLI pushes, and the final accounting (every accepted
 * file DONE once and at the target with its content, nothing else there).
 */
final class EnvironmentFaultCluster implements AutoCloseable {
  static final String DESTINATION = "FAULTS";
  final Path tmp;
  final int restPort = FreePorts.next();
  final int grpcPort = FreePorts.next();
  final Path masterDir;
  final Path masterCfg;
  final Path moverCfg;
  final Path log;
  final OpenSshServer sshd;
  private final List<Process> all = new ArrayList<>();
  private Rest admin;
  private String password;

  /**
   * @param db null for the master's embedded database
   * @param dialed the port the mover dials, given the master's gRPC port (a proxy in between, or itself)
   */
  EnvironmentFaultCluster(String name, Path tmp, TestDatabase db, java.util.function.IntUnaryOperator dialed, List<String> moverExtra)
      throws Exception {
    this.tmp = tmp;
    masterDir = tmp.resolve("master");
    masterCfg = tmp.resolve("master.properties");
    List<String> m = new ArrayList<>(List.of("master.dataDir=" + masterDir, "master.rest.host=127.0.0.1",
        "master.rest.port=" + restPort, "master.grpc.port=" + grpcPort, "master.bcryptCost=4",
        "master.moverGraceMillis=1000"));
    if (db != null) {
      m.addAll(List.of("master.db.url=" + db.jdbcUrl(), "master.db.user=" + db.user(), "master.db.password=" + db.password()));
    }
    Files.writeString(masterCfg, String.join("\n", m) + "\n");
    moverCfg = tmp.resolve("mover.properties");
    List<String> v = new ArrayList<>(List.of("mover.name=mover-f", "mover.dataDir=" + tmp.resolve("mover"),
        "mover.upload.bind=127.0.0.1", "mover.upload.port=" + FreePorts.next(), "portal.sftp.port=-1", "portal.https.port=-1", "portal.s3.port=-1", "portal.ftps.port=-1", "portal.ftps.implicitPort=-1",
        "master.host=127.0.0.1", "master.port=" + dialed.applyAsInt(grpcPort),
        "mover.link.maxBackoff=1s", "master.trustCert=" + masterDir.resolve("tls/cert.pem"),
        "cluster.secretFile=" + masterDir.resolve("cluster.secret")));
    v.addAll(moverExtra);
    Files.writeString(moverCfg, String.join("\n", v) + "\n");
    // kept in target/ after the temp dir is gone, for a failure's post-mortem
    log = Files.createDirectories(Path.of("target", "faults")).resolve(name + "-processes.log");
    Files.deleteIfExists(log);
    sshd = OpenSshServer.start();
  }

  /** Starts both processes and creates the destination with its SFTP host; returns the admin client. */
  Rest start() throws Exception {
    JavaProcess.launch(all, "master", masterCfg, log);
    FreePorts.awaitListening(restPort, Duration.ofSeconds(60));
    JavaProcess.launch(all, "mover", moverCfg, log);
    password = Files.readString(masterDir.resolve("admin-password")).strip();
    admin = new Rest(restPort, masterDir.resolve("tls/cert.pem"), "admin", password);
    awaitAnswering(Duration.ofSeconds(60));
    admin.call("POST", "destination", Map.of("name", DESTINATION, "retryFrequency", 500, "maxConnections", 4));
    admin.call("POST", "host", Map.of("name", "target", "transferMethod", "sftp", "address", "127.0.0.1",
        "port", sshd.port(), "login", sshd.user(), "password", sshd.password(), "directory", "out"));
    admin.call("PUT", "destination/" + DESTINATION + "/host/target", Map.of("priority", 0));
    admin.awaitMoverOnline("mover-f");
    return admin;
  }

  /**
   * The port listens before a cold master, on a loaded machine, completes its first TLS
   * handshake within the client's connect timeout: wait for a first answer, with a deadline.
   */
  private void awaitAnswering(Duration timeout) throws Exception {
    org.ecpds.testkit.Conditions.await("the master answering", timeout, () -> {
      try {
        admin.call("GET", "mover", null);
        return true;
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  Rest admin() {
    return admin;
  }

  /** One CLI push of {@code file} to the destination. */
  JavaProcess.Result push(Path file) throws Exception {
    return JavaProcess.run("org.ecpds.cli.Ecpds", List.of("-echost", "localhost", "-ecport", String.valueOf(restPort),
        "-cacert", masterDir.resolve("tls/cert.pem").toString(), "-user", "admin", "-pass", password,
        "-destination", DESTINATION, "-source", file.toString(), "-arrivalTimeoutSec", "60"), tmp);
  }

  /** What the pushes of a fault run came to: accepted ids and their files, refusals, refusals that misbehaved. */
  static final class Tally {
    final Map<Long, Path> accepted = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    final List<String> badRefusals = java.util.Collections.synchronizedList(new ArrayList<>());
  }

  /** Pushes a file and records the outcome: a refusal must print no id and say why on stderr. */
  void pushInto(Path f, Tally tally) throws Exception {
    JavaProcess.Result r = push(f);
    if (r.exit() == 0) {
      tally.accepted.put(Long.parseLong(r.out().strip()), f);
    } else {
      tally.refused.incrementAndGet();
      if (!r.out().isBlank() || r.err().isBlank()) {
        tally.badRefusals.add(f.getFileName() + ": exit " + r.exit() + " out=" + r.out() + " err=" + r.err());
      }
    }
  }

  /** A file of {@code size} pseudo-random bytes named {@code name} in the test dir. */
  Path file(String name, long size, long seed) throws Exception {
    Path f = tmp.resolve("src").resolve(name);
    Files.createDirectories(f.getParent());
    StandaloneEndToEndTest.writeRandom(f, size, seed);
    return f;
  }

  /**
   * Waits until the transfer of every accepted data file is DONE (REST errors while a fault lasts
   * are retried until the deadline), then checks exactly-once delivery. {@code accepted} maps the
   * printed DataFile id to its source file. Returns the number of transfers whose history shows
   * more than one attempt (the ones the fault affected).
   */
  int awaitDeliveredExactlyOnce(Map<Long, Path> accepted, Duration timeout) throws Exception {
    Map<Long, JsonNode> done = new HashMap<>();
    String[] last = {""};
    try {
      awaitAllDone(accepted, done, last, timeout);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e); // what the post-mortem needs
    }
    int affected = 0;
    for (Map.Entry<Long, JsonNode> e : done.entrySet()) {
      List<String> statuses = new ArrayList<>();
      e.getValue().get("history").forEach(h -> statuses.add(h.get("status").asText()));
      if (statuses.stream().filter("DONE"::equals).count() != 1) {
        throw new AssertionError("data file " + e.getKey() + " DONE more than once: " + statuses);
      }
      if (statuses.stream().filter("EXEC"::equals).count() > 1) affected++;
    }
    // at the target: exactly the accepted files, each with its content, no temp files
    Path out = sshd.home().resolve("out");
    List<String> names;
    try (Stream<Path> s = Files.list(out)) {
      names = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> expected = accepted.values().stream().map(p -> p.getFileName().toString()).sorted().toList();
    if (!names.equals(expected)) throw new AssertionError("target holds " + names + ", expected " + expected);
    for (Path src : accepted.values()) {
      String want = StandaloneEndToEndTest.sha256(src);
      String got = StandaloneEndToEndTest.sha256(out.resolve(src.getFileName().toString()));
      if (!want.equals(got)) throw new AssertionError(src.getFileName() + " differs at the target");
    }
    // the master's own view: no other transfer exists for the destination
    JsonNode transfers = admin.call("GET", "transfer?destination=" + DESTINATION, null).get("transfers");
    if (transfers.size() != accepted.size()) {
      throw new AssertionError(transfers.size() + " transfers for " + accepted.size() + " accepted files: " + transfers);
    }
    return affected;
  }

  private void awaitAllDone(Map<Long, Path> accepted, Map<Long, JsonNode> done, String[] last, Duration timeout)
      throws Exception {
    org.ecpds.testkit.Conditions.await("all " + accepted.size() + " DONE", timeout, () -> {
      for (Long id : accepted.keySet()) {
        if (done.containsKey(id)) continue;
        try {
          long transfer = admin.transferOf(id);
          JsonNode t = admin.call("GET", "transfer/" + transfer, null).get("transfer");
          if (t.get("status").asText().equals("DONE")) done.put(id, t); else last[0] = t.toString();
        } catch (Exception | AssertionError e) {
          last[0] = e.toString();
        }
      }
      if (done.size() < accepted.size()) System.out.println("awaiting DONE: " + (accepted.size() - done.size()) + " left; last seen " + last[0]);
      return done.size() == accepted.size();
    });
  }

  /** Regular files under {@code sub} (data or .tmp) of a store volume. */
  static List<Path> storeFiles(Path volume, String sub) throws Exception {
    Path dir = volume.resolve(sub);
    if (!Files.exists(dir)) return List.of();
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).toList();
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : all) p.destroyForcibly().waitFor();
    sshd.close();
  }
}
