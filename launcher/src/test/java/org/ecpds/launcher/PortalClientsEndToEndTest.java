package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.cli.Ecpds;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's client matrix against the real standalone (H2, portal backed by the master): every client a
 * remote site would use runs the same script, one named test per step: log in and list, download a file
 * pushed by the CLI (SHA-256 compared, the StandBy transfer accounted DONE), upload + read back + delete,
 * a wrong password refused by the client's own failure within a bounded time, and escapes refused
 * ({@code ..} past the root, an absolute path outside the tree, a destination the user cannot see, and
 * for SFTP symbolic links). One standalone for the class, clients one after the other; plain FTP is on
 * (lftp ftp, rclone ftp), everything else is TLS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalClientsEndToEndTest {
  private static final String DEST = "MATRIX";
  private static final String HIDDEN = "HIDDEN";
  private static final String USER = "matrix";
  private static final String PASSWORD = "matrix-secret-1";
  private static final String WRONG = "not-the-password";
  private static final String SECRET = "hidden destination: never served to " + USER + "\n";
  private static final String PASSWD_LINE = "root:x:0:0";
  /** Every client invocation is bounded: a refusal must be the client's failure, never a hang. */
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path tmp;
  private Standalone sa;
  private Rest admin;
  private Map<String, Integer> ports;
  private String accessKey;
  private String secretKey;
  private final Map<String, String> shaOf = new HashMap<>();
  private final Map<String, Long> transferOf = new HashMap<>();
  private long hiddenTransfer;
  private Path rcloneConfig;

  record Run(List<String> command, int exit, String out, String err) {
    String all() {
      return out + err;
    }

    String describe() {
      return String.join(" ", command) + "\nexit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }

    Run ok() {
      assertThat(exit).as(describe()).isZero();
      return this;
    }

    Run failed() {
      assertThat(exit).as("the client must fail: " + describe()).isNotZero();
      return this;
    }
  }

  // --------------------------------------------------------------------------------------- set-up

  @BeforeAll
  void start() throws Exception {
    Path dataDir = tmp.resolve("ecpds-data");
    // the matrix makes a dozen deliberate failed logins from 127.0.0.1; the guard's slow-down (tested by
    // PortalLoginGuardTest and the REST tests) must not refuse the right password of the next client
    Config config = TestConfig.empty().with("standalone.dataDir", dataDir).with("master.rest.port", 0)
        .with("mover.upload.port", 0).with("portal.sftp.port", 0).with("portal.https.port", 0)
        .with("portal.s3.port", 0).with("portal.ftps.port", 0).with("portal.ftps.implicitPort", 0)
        .with("portal.ftp.port", 0).with("portal.ftp.passivePorts", "0").with("monitor.port", 0)
        .with("master.bcryptCost", 4).with("auth.freeFailures", 1000);
    sa = Standalone.start(config, System.out);
    Path cert = dataDir.resolve("tls/cert.pem");
    String adminPassword = sa.master().generatedAdminPassword();
    admin = new Rest(sa.master().restPort(), cert, "admin", adminPassword);
    // no dissemination host: pushed files stay StandBy for the portal
    admin.call("POST", "destination", Map.of("name", DEST));
    admin.call("POST", "destination", Map.of("name", HIDDEN));
    admin.call("POST", "incoming/user", Map.of("id", USER, "password", PASSWORD));
    admin.call("PUT", "incoming/user/" + USER + "/destination/" + DEST, Map.of("get", true, "put", true, "delete", true,
        "dir", true, "mkdir", true, "rmdir", true, "rename", true, "size", true, "mtime", true));
    JsonNode key = admin.call("POST", "incoming/user/" + USER + "/s3key", null).get("key");
    accessKey = key.get("accessKeyId").asText();
    secretKey = key.get("secretKey").asText();
    ports = sa.mover().portalPorts();
    assertThat(ports).containsKeys("sftp", "https", "s3", "ftps", "ftp");

    Path src = Files.createDirectories(tmp.resolve("staged"));
    int i = 0;
    for (String client : CLIENTS) {
      Path f = src.resolve(client + ".bin");
      StandaloneEndToEndTest.writeRandom(f, 1_000_000 + 4099L * i, 100 + i++);
      shaOf.put(client, StandaloneEndToEndTest.sha256(f));
      transferOf.put(client, admin.transferOf(push(cert, adminPassword, DEST, f)));
    }
    Path secret = Files.writeString(src.resolve("secret.bin"), SECRET);
    hiddenTransfer = admin.transferOf(push(cert, adminPassword, HIDDEN, secret));
    rcloneConfig = writeRcloneConfig();
  }

  @AfterAll
  void stop() throws Exception {
    if (sa != null) sa.close();
  }

  /** The ecpds CLI in this JVM (the real push path): returns the DataFile id. */
  private long push(Path cert, String adminPassword, String destination, Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Ecpds.run(new String[] {"-echost", "localhost", "-ecport", String.valueOf(sa.master().restPort()),
        "-cacert", cert.toString(), "-user", "admin", "-pass", adminPassword, "-destination", destination,
        "-source", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return Long.parseLong(out.toString(StandardCharsets.UTF_8).strip());
  }

  private static final List<String> CLIENTS = List.of("sftp", "scp", "scp-O", "lftp-sftp", "lftp-ftp", "lftp-ftps",
      "curl", "wget", "rclone-sftp", "rclone-ftp", "rclone-webdav", "rclone-s3", "aws", "s3cmd", "cadaver");

  @TestFactory
  Stream<DynamicNode> everyClientRunsTheWholeScript() {
    return Stream.<DynamicNode>of(sftp(), scp(false), scp(true), lftp("sftp"), lftp("ftp"), lftp("ftps"), curl(), wget(),
        rclone("sftp", "sftp"), rclone("ftp", "ftp"), rclone("webdav", "webdav"), rclone("s3", "s3"), aws(), s3cmd(),
        cadaver(), dynamicTest("afterwards: the hidden destination's file was never downloaded", () ->
            assertThat(admin.call("GET", "transfer/" + hiddenTransfer, null).at("/transfer/status").asText())
                .isEqualTo("HOLD")));
  }

  private static DynamicNode client(String name, Map<String, Executable> steps) {
    return dynamicContainer(name, steps.entrySet().stream().map(e -> dynamicTest(e.getKey(), e.getValue())));
  }

  // ------------------------------------------------------------------------------------ checks

  /** The download's content, and the portal's accounting: the StandBy transfer is DONE over the protocol. */
  private void downloaded(String client, Path local, String protocol) throws Exception {
    assertThat(local).as(client + " downloaded").exists();
    assertThat(StandaloneEndToEndTest.sha256(local)).as(client + " content").isEqualTo(shaOf.get(client));
    long id = transferOf.get(client);
    JsonNode t = admin.awaitTransfer(id, "DONE", Duration.ofSeconds(30));
    assertThat(t.get("history")).as(client + " history").anySatisfy(h ->
        assertThat(h.get("comment").asText()).isEqualTo("downloaded by " + USER + " over " + protocol));
  }

  private Path upload(String client) throws Exception {
    Path f = tmp.resolve("up-" + client + ".bin");
    StandaloneEndToEndTest.writeRandom(f, 700_001 + client.length(), client.hashCode());
    return f;
  }

  private static void sameContent(Path back, Path up) throws Exception {
    assertThat(back).exists();
    assertThat(StandaloneEndToEndTest.sha256(back)).as("read back " + back).isEqualTo(StandaloneEndToEndTest.sha256(up));
  }

  /** What the portal lists in the destination (HTTPS JSON listing), to check that a delete took effect. */
  private String listing(String dir) throws Exception {
    return run(List.of("curl", "-sS", "--fail", "-k", "-u", USER + ":" + PASSWORD, "-H", "Accept: application/json",
        "https://127.0.0.1:" + ports.get("https") + "/" + dir + "/")).ok().out();
  }

  /** Nothing from outside the user's tree reached the client or the local disk. */
  private static void leakedNothing(Run r, Path... locals) throws Exception {
    assertThat(r.all()).as(r.describe()).doesNotContain(PASSWD_LINE).doesNotContain(SECRET.strip());
    for (Path l : locals) {
      if (Files.exists(l)) {
        assertThat(Files.readString(l, StandardCharsets.ISO_8859_1)).as(l.toString()).doesNotContain(PASSWD_LINE)
            .doesNotContain(SECRET.strip());
      }
    }
  }

  // ------------------------------------------------------------------------------- processes

  private Run run(List<String> command) throws Exception {
    return run(Map.of(), null, command);
  }

  /**
   * A terminal dialogue: {@code stdin} first, then for each pair, once the output shows {@code [0]}, sends
   * {@code [1]}. For prompts that discard typed-ahead input (getpass flushes the terminal). With
   * {@code until}, the client is ended once its output satisfies it (a client that keeps asking).
   */
  private Run dialogue(Map<String, String> env, String stdin, List<String[]> turns,
      java.util.function.Predicate<String> until, List<String> command) throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectOutput(out.toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    try (var os = p.getOutputStream()) {
      os.write(stdin.getBytes(StandardCharsets.UTF_8));
      os.flush();
      for (String[] turn : turns) {
        Conditions.await("\"" + turn[0] + "\" from " + command.get(0), CLIENT_TIMEOUT,
            () -> Files.readString(out, StandardCharsets.ISO_8859_1).contains(turn[0]) || !p.isAlive());
        os.write(turn[1].getBytes(StandardCharsets.UTF_8));
        os.flush();
      }
      if (until != null) {
        Conditions.await("the expected answer from " + command.get(0), CLIENT_TIMEOUT,
            () -> until.test(Files.readString(out, StandardCharsets.ISO_8859_1)));
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
    } catch (AssertionError | java.io.IOException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError(e.getMessage() + "\n--- output\n" + Files.readString(out, StandardCharsets.ISO_8859_1), e);
    }
    if (!p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError("did not finish within " + CLIENT_TIMEOUT.toSeconds() + " s (a hang): "
          + String.join(" ", command) + "\n--- output\n" + Files.readString(out, StandardCharsets.ISO_8859_1));
    }
    return new Run(command, p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), "");
  }

  private Run run(Map<String, String> env, String stdin, List<String> command) throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    pb.environment().putAll(env);
    if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    if (stdin != null) {
      try (var os = p.getOutputStream()) {
        os.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      throw new AssertionError("did not finish within " + CLIENT_TIMEOUT.toSeconds() + " s (a hang): "
          + String.join(" ", command) + "\n--- stdout\n" + Files.readString(out, StandardCharsets.ISO_8859_1)
          + "\n--- stderr\n" + Files.readString(err, StandardCharsets.ISO_8859_1));
    }
    return new Run(command, p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
        Files.readString(err, StandardCharsets.ISO_8859_1));
  }

  private static List<String> cat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(Arrays.asList(tail));
    return all;
  }

  // --------------------------------------------------------------------------------- OpenSSH

  private List<String> ssh(String password, String program, String... args) {
    Tools.require("sshpass", "sshpass");
    Tools.require(program, "openssh-client");
    return cat(List.of("sshpass", "-p", password, program, "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1",
        "-o", "LogLevel=ERROR", "-P", String.valueOf(ports.get("sftp"))), args);
  }

  private Run sftp(String password, String... commands) throws Exception {
    Path batch = Files.writeString(Files.createTempFile(tmp, "batch", ".txt"), String.join("\n", commands) + "\n");
    // -b implies BatchMode=yes, which would skip password authentication
    return run(ssh(password, "sftp", "-o", "BatchMode=no", "-b", batch.toString(), USER + "@127.0.0.1"));
  }

  private DynamicNode sftp() {
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> assertThat(sftp(PASSWORD, "ls -1 /", "ls -1 /" + DEST).ok().out())
        .contains(DEST).doesNotContain(HIDDEN).contains("sftp.bin"));
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("sftp-got.bin");
      sftp(PASSWORD, "get /" + DEST + "/sftp.bin " + local).ok();
      downloaded("sftp", local, "sftp");
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload("sftp");
      Path back = tmp.resolve("sftp-back.bin");
      sftp(PASSWORD, "put " + up + " /" + DEST + "/up-sftp.bin", "get /" + DEST + "/up-sftp.bin " + back,
          "rm /" + DEST + "/up-sftp.bin").ok();
      sameContent(back, up);
      assertThat(sftp(PASSWORD, "ls -1 /" + DEST).ok().out()).doesNotContain("up-sftp.bin");
    });
    s.put("wrong password refused", () -> assertThat(sftp(WRONG, "ls /").failed().all()).contains("Permission denied"));
    s.put("escapes refused", () -> {
      Path e = Files.createDirectories(tmp.resolve("sftp-escape"));
      Run r = sftp(PASSWORD, "-get ../../etc/passwd " + e.resolve("1"), "-get /etc/passwd " + e.resolve("2"),
          "-get /" + DEST + "/../../etc/passwd " + e.resolve("3"), "-get ../" + HIDDEN + "/secret.bin " + e.resolve("4"),
          "-get /" + HIDDEN + "/secret.bin " + e.resolve("5"), "-put /etc/hostname ../../tmp/planted",
          "-cd /..", "pwd");
      assertThat(r.exit()).as(r.describe()).isZero();
      for (int i = 1; i <= 5; i++) assertThat(e.resolve(String.valueOf(i))).as(r.describe()).doesNotExist();
      assertThat(r.out()).as(r.describe()).contains("Remote working directory: /");
      leakedNothing(r);
    });
    s.put("symbolic links refused, readlink leaks nothing", () -> {
      Run r = sftp(PASSWORD, "-ln -s /" + DEST + "/sftp.bin /" + DEST + "/link", "-ln -s /etc/passwd /" + DEST + "/link2",
          "-symlink ../../etc /" + DEST + "/link3", "ls -1 /" + DEST);
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.all()).as(r.describe()).contains("Permission denied");
      assertThat(r.out().lines().filter(l -> !l.startsWith("sftp>"))).as(r.describe()).noneMatch(l -> l.contains("link"));
      try (SshClient client = SshClient.setUpDefaultClient()) {
        client.start();
        try (ClientSession session = client.connect(USER, "127.0.0.1", ports.get("sftp")).verify(30_000).getSession()) {
          session.addPasswordIdentity(PASSWORD);
          session.auth().verify(30_000);
          try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            for (String path : List.of("/" + DEST + "/sftp.bin", "/" + DEST, "/", "/../../etc/passwd", "/etc/passwd")) {
              try {
                String target = sftp.readLink(path);
                throw new AssertionError("readlink " + path + " answered " + target);
              } catch (SftpException expected) {
                // the portal has no links to read
              }
            }
            try {
              sftp.symLink("/" + DEST + "/link4", "/etc/passwd");
              throw new AssertionError("SSH_FXP_SYMLINK was accepted");
            } catch (SftpException expected) {
              assertThat(expected.getStatus()).isEqualTo(org.apache.sshd.sftp.common.SftpConstants.SSH_FX_PERMISSION_DENIED);
            }
            assertThat(sftp.canonicalPath("/" + DEST + "/..")).isEqualTo("/");
          }
        }
      }
      assertThat(listing(DEST)).doesNotContain("link");
    });
    return client("OpenSSH sftp", s);
  }

  private DynamicNode scp(boolean legacy) {
    String name = legacy ? "scp-O" : "scp";
    List<String> mode = legacy ? List.of("-O") : List.of();
    String remote = USER + "@127.0.0.1:";
    Map<String, Executable> s = new LinkedHashMap<>();
    // scp has no listing; in SFTP mode the client expands a glob by listing the directory (only this client's
    // file matches). Legacy scp leaves globs to the server, and MINA's does not expand them over the portal.
    s.put(legacy ? "login" : "login and list (a glob)", () -> {
      Path dir = Files.createDirectories(tmp.resolve(name + "-glob"));
      Run r = run(ssh(PASSWORD, "scp", cat(mode, remote + "/" + DEST + "/" + name + (legacy ? ".bin" : ".b?n"),
          dir.toString()).toArray(String[]::new))).ok();
      try (Stream<Path> got = Files.list(dir)) {
        assertThat(got.map(f -> f.getFileName().toString())).as(r.describe()).containsExactly(name + ".bin");
      }
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve(name + "-got.bin");
      run(ssh(PASSWORD, "scp", cat(mode, remote + "/" + DEST + "/" + name + ".bin", local.toString())
          .toArray(String[]::new))).ok();
      downloaded(name, local, legacy ? "scp" : "sftp");
    });
    s.put("upload, read back (delete over sftp)", () -> {
      Path up = upload(name);
      Path back = tmp.resolve(name + "-back.bin");
      run(ssh(PASSWORD, "scp", cat(mode, up.toString(), remote + "/" + DEST + "/up-" + name + ".bin")
          .toArray(String[]::new))).ok();
      run(ssh(PASSWORD, "scp", cat(mode, remote + "/" + DEST + "/up-" + name + ".bin", back.toString())
          .toArray(String[]::new))).ok();
      sameContent(back, up);
      sftp(PASSWORD, "rm /" + DEST + "/up-" + name + ".bin").ok();
      assertThat(listing(DEST)).doesNotContain("up-" + name + ".bin");
    });
    s.put("wrong password refused", () -> run(ssh(WRONG, "scp", cat(mode, remote + "/" + DEST + "/" + name + ".bin",
        tmp.resolve(name + "-wrong.bin").toString()).toArray(String[]::new))).failed());
    s.put("escapes refused", () -> {
      Path e = Files.createDirectories(tmp.resolve(name + "-escape"));
      int i = 0;
      for (String path : List.of("../../etc/passwd", "/etc/passwd", "/" + DEST + "/../../etc/passwd",
          "/../" + HIDDEN + "/secret.bin", "/" + HIDDEN + "/secret.bin")) {
        Path local = e.resolve(String.valueOf(i++));
        Run r = run(ssh(PASSWORD, "scp", cat(mode, remote + path, local.toString()).toArray(String[]::new))).failed();
        leakedNothing(r, local);
        assertThat(local).as(r.describe()).doesNotExist();
      }
      Run up = run(ssh(PASSWORD, "scp", cat(mode, "/etc/hostname", remote + "../../tmp/planted-" + name)
          .toArray(String[]::new))).failed();
      assertThat(Path.of("/tmp/planted-" + name)).as(up.describe()).doesNotExist();
    });
    return client(legacy ? "OpenSSH scp -O (legacy scp protocol)" : "OpenSSH scp (SFTP mode)", s);
  }

  // ------------------------------------------------------------------------------------- lftp

  private Run lftp(String protocol, String password, String... commands) throws Exception {
    Tools.require("lftp", "lftp");
    List<String> script = new ArrayList<>(List.of("set cmd:fail-exit yes", "set net:max-retries 1",
        "set net:reconnect-interval-base 1", "set net:timeout 20", "set xfer:clobber yes"));
    String url;
    switch (protocol) {
      case "sftp" -> {
        script.add("set sftp:auto-confirm yes");
        script.add("set sftp:connect-program 'ssh -a -x -F /dev/null -o StrictHostKeyChecking=no"
            + " -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1'");
        url = "sftp://127.0.0.1:" + ports.get("sftp");
      }
      case "ftps" -> {
        script.addAll(List.of("set ftp:ssl-force true", "set ftp:ssl-protect-data true", "set ssl:verify-certificate no"));
        url = "ftp://127.0.0.1:" + ports.get("ftps");
      }
      default -> {
        script.add("set ftp:ssl-allow no");
        url = "ftp://127.0.0.1:" + ports.get("ftp");
      }
    }
    script.add("open -u " + USER + "," + password + " " + url);
    script.addAll(List.of(commands));
    Path file = Files.createTempFile(tmp, "script", ".lftp");
    Files.writeString(file, String.join("\n", script) + "\n");
    return run(Map.of("HOME", tmp.toString()), null, List.of("lftp", "-f", file.toString()));
  }

  private DynamicNode lftp(String protocol) {
    String name = "lftp-" + protocol;
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> assertThat(lftp(protocol, PASSWORD, "cls -1 /", "cls -1 /" + DEST).ok().out())
        .contains(DEST).doesNotContain(HIDDEN).contains(name + ".bin"));
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve(name + "-got.bin");
      lftp(protocol, PASSWORD, "get /" + DEST + "/" + name + ".bin -o " + local).ok();
      downloaded(name, local, protocol);
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload(name);
      Path back = tmp.resolve(name + "-back.bin");
      lftp(protocol, PASSWORD, "put " + up + " -o /" + DEST + "/up-" + name + ".bin", "get /" + DEST + "/up-" + name
          + ".bin -o " + back, "rm /" + DEST + "/up-" + name + ".bin").ok();
      sameContent(back, up);
      assertThat(lftp(protocol, PASSWORD, "cls -1 /" + DEST).ok().out()).doesNotContain("up-" + name);
    });
    s.put("wrong password refused", () -> lftp(protocol, WRONG, "cls -1 /").failed());
    s.put("escapes refused", () -> {
      int i = 0;
      for (String path : List.of("../../etc/passwd", "/etc/passwd", "/" + DEST + "/../../etc/passwd",
          "/" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve(name + "-escape-" + i++);
        Run r = lftp(protocol, PASSWORD, "get " + path + " -o " + local).failed();
        leakedNothing(r, local);
      }
      if (!protocol.equals("sftp")) {
        // lftp normalises "cd .." itself; quote sends it as typed (and exits 0 whatever the reply)
        Run r = lftp(protocol, PASSWORD, "quote CWD ..", "quote CWD /" + DEST + "/../..", "quote PWD");
        assertThat(r.all()).as(r.describe()).containsSubsequence("550", "550", "257 \"/\"");
      } else {
        Run ln = lftp(protocol, PASSWORD, "ln -s /" + DEST + "/" + name + ".bin /" + DEST + "/lftp-link").failed();
        assertThat(listing(DEST)).as(ln.describe()).doesNotContain("lftp-link");
      }
    });
    return client("lftp " + protocol, s);
  }

  // ----------------------------------------------------------------------------------- HTTPS

  private String https(String path) {
    return "https://127.0.0.1:" + ports.get("https") + path;
  }

  private Run curl(String password, String... args) throws Exception {
    Tools.require("curl", "curl");
    return run(cat(List.of("curl", "-sS", "--fail", "-k", "--max-time", "50", "-u", USER + ":" + password), args));
  }

  private DynamicNode curl() {
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> {
      assertThat(curl(PASSWORD, "-H", "Accept: application/json", https("/")).ok().out()).contains(DEST).doesNotContain(HIDDEN);
      assertThat(curl(PASSWORD, "-H", "Accept: application/json", https("/" + DEST + "/")).ok().out()).contains("curl.bin");
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("curl-got.bin");
      curl(PASSWORD, "-o", local.toString(), https("/" + DEST + "/curl.bin")).ok();
      downloaded("curl", local, "https");
    });
    s.put("ranges", () -> {
      Path whole = tmp.resolve("curl-got.bin");
      byte[] all = Files.readAllBytes(whole);
      Path part = tmp.resolve("curl-range.bin");
      curl(PASSWORD, "-r", "1000-1999", "-o", part.toString(), https("/" + DEST + "/curl.bin")).ok();
      assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(all, 1000, 2000));
      curl(PASSWORD, "-r", "-777", "-o", part.toString(), https("/" + DEST + "/curl.bin")).ok();
      assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(all, all.length - 777, all.length));
      Path resumed = tmp.resolve("curl-resumed.bin");
      Files.write(resumed, Arrays.copyOf(all, 300_000));
      curl(PASSWORD, "-C", "-", "-o", resumed.toString(), https("/" + DEST + "/curl.bin")).ok();
      assertThat(StandaloneEndToEndTest.sha256(resumed)).isEqualTo(shaOf.get("curl"));
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload("curl");
      Path back = tmp.resolve("curl-back.bin");
      String url = https("/" + DEST + "/up-curl.bin");
      curl(PASSWORD, "-T", up.toString(), url).ok();
      curl(PASSWORD, "-o", back.toString(), url).ok();
      sameContent(back, up);
      curl(PASSWORD, "-X", "DELETE", url).ok();
      assertThat(listing(DEST)).doesNotContain("up-curl.bin");
    });
    s.put("wrong password refused", () -> assertThat(curl(WRONG, "-o", tmp.resolve("curl-wrong").toString(),
        https("/" + DEST + "/curl.bin")).failed().err()).contains("401"));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String path : List.of("/" + DEST + "/../../etc/passwd", "/" + DEST + "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
          "/" + HIDDEN + "/secret.bin", "/" + DEST + "/..%2F" + HIDDEN + "/secret.bin", "/%2e%2e/" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("curl-escape-" + i++);
        Run r = curl(PASSWORD, "--path-as-is", "-o", local.toString(), https(path)).failed();
        leakedNothing(r, local);
      }
      Path up = upload("curl-escape");
      curl(PASSWORD, "--path-as-is", "-T", up.toString(), https("/" + DEST + "/../" + HIDDEN + "/planted.bin")).failed();
      assertThat(admin.call("GET", "datafile?destination=" + HIDDEN, null).get("datafiles")).hasSize(1);
    });
    return client("curl https", s);
  }

  private Run wget(String password, String... args) throws Exception {
    Tools.require("wget", "wget");
    return run(Map.of("HOME", tmp.toString()), null, cat(List.of("wget", "-q", "--no-check-certificate", "--tries=1",
        "--timeout=30", "--auth-no-challenge", "--user=" + USER, "--password=" + password), args));
  }

  private DynamicNode wget() {
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> assertThat(wget(PASSWORD, "--header=Accept: application/json", "-O", "-",
        https("/" + DEST + "/")).ok().out()).contains("wget.bin"));
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("wget-got.bin");
      wget(PASSWORD, "-O", local.toString(), https("/" + DEST + "/wget.bin")).ok();
      downloaded("wget", local, "https");
    });
    s.put("ranges (resume with -c)", () -> {
      byte[] all = Files.readAllBytes(tmp.resolve("wget-got.bin"));
      Path dir = Files.createDirectories(tmp.resolve("wget-resume"));
      Files.write(dir.resolve("wget.bin"), Arrays.copyOf(all, 400_000));
      Run r = wget(PASSWORD, "-S", "-c", "-P", dir.toString(), https("/" + DEST + "/wget.bin")).ok();
      assertThat(r.all()).contains("206");
      assertThat(StandaloneEndToEndTest.sha256(dir.resolve("wget.bin"))).isEqualTo(shaOf.get("wget"));
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload("wget");
      Path back = tmp.resolve("wget-back.bin");
      String url = https("/" + DEST + "/up-wget.bin");
      wget(PASSWORD, "--method=PUT", "--body-file=" + up, "-O", "/dev/null", url).ok();
      wget(PASSWORD, "-O", back.toString(), url).ok();
      sameContent(back, up);
      wget(PASSWORD, "--method=DELETE", "-O", "/dev/null", url).ok();
      assertThat(listing(DEST)).doesNotContain("up-wget.bin");
    });
    s.put("wrong password refused", () -> assertThat(wget(WRONG, "-O", tmp.resolve("wget-wrong").toString(),
        https("/" + DEST + "/wget.bin")).failed().exit()).isEqualTo(6));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String path : List.of("/" + DEST + "/../../etc/passwd", "/" + DEST + "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
          "/" + HIDDEN + "/secret.bin", "/" + DEST + "/..%2F" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("wget-escape-" + i++);
        Run r = wget(PASSWORD, "-O", local.toString(), https(path)).failed();
        leakedNothing(r, local);
      }
    });
    return client("wget https", s);
  }

  // ------------------------------------------------------------------------------------ rclone

  private Path writeRcloneConfig() throws Exception {
    String pass = run(List.of("rclone", "obscure", PASSWORD)).ok().out().strip();
    String wrong = run(List.of("rclone", "obscure", WRONG)).ok().out().strip();
    StringBuilder b = new StringBuilder();
    for (String[] r : new String[][] {{"sftp", pass}, {"wrong-sftp", wrong}}) {
      b.append("[").append(r[0]).append("]\ntype = sftp\nhost = 127.0.0.1\nport = ").append(ports.get("sftp"))
          .append("\nuser = ").append(USER).append("\npass = ").append(r[1])
          .append("\nshell_type = none\ndisable_hashcheck = true\n\n");
    }
    for (String[] r : new String[][] {{"ftp", pass}, {"wrong-ftp", wrong}}) {
      b.append("[").append(r[0]).append("]\ntype = ftp\nhost = 127.0.0.1\nport = ").append(ports.get("ftp"))
          .append("\nuser = ").append(USER).append("\npass = ").append(r[1]).append("\n\n");
    }
    for (String[] r : new String[][] {{"webdav", pass}, {"wrong-webdav", wrong}}) {
      b.append("[").append(r[0]).append("]\ntype = webdav\nurl = ").append(https("/")).append("\nvendor = other\nuser = ")
          .append(USER).append("\npass = ").append(r[1]).append("\n\n");
    }
    for (String[] r : new String[][] {{"s3", secretKey}, {"wrong-s3", "x".repeat(40)}}) {
      b.append("[").append(r[0]).append("]\ntype = s3\nprovider = Other\naccess_key_id = ").append(accessKey)
          .append("\nsecret_access_key = ").append(r[1]).append("\nendpoint = https://127.0.0.1:").append(ports.get("s3"))
          .append("\nregion = us-east-1\nforce_path_style = true\nno_check_bucket = true\n\n");
    }
    return Files.writeString(tmp.resolve("rclone.conf"), b.toString());
  }

  private Run rcloneRun(String... args) throws Exception {
    Tools.require("rclone", "rclone");
    // rclone 1.60 fails on any AWS_CA_BUNDLE in its environment
    return run(Map.of("HOME", tmp.toString(), "AWS_CA_BUNDLE", ""), null, cat(List.of("rclone", "--config",
        rcloneConfig.toString(), "--no-check-certificate", "--retries", "1", "--low-level-retries", "1",
        "--contimeout", "10s", "--timeout", "30s"), args));
  }

  private DynamicNode rclone(String backend, String protocol) {
    String name = "rclone-" + backend;
    // S3 keys with slashes must just work: the upload goes below directories that do not exist yet
    String upPath = backend.equals("s3") ? DEST + "/up/" + name + "/deep/up.bin" : DEST + "/up-" + name + ".bin";
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> {
      assertThat(rcloneRun("lsf", backend + ":").ok().out()).contains(DEST).doesNotContain(HIDDEN);
      assertThat(rcloneRun("lsf", backend + ":" + DEST).ok().out()).contains(name + ".bin");
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve(name + "-got.bin");
      rcloneRun("copyto", backend + ":" + DEST + "/" + name + ".bin", local.toString()).ok();
      downloaded(name, local, protocol);
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload(name);
      Path back = tmp.resolve(name + "-back.bin");
      rcloneRun("copyto", up.toString(), backend + ":" + upPath).ok();
      rcloneRun("copyto", backend + ":" + upPath, back.toString()).ok();
      sameContent(back, up);
      rcloneRun("deletefile", backend + ":" + upPath).ok();
      assertThat(rcloneRun("lsf", "-R", backend + ":" + DEST).ok().out()).doesNotContain("up-" + name).doesNotContain("up.bin");
    });
    s.put("wrong password refused", () -> rcloneRun("lsf", "wrong-" + backend + ":" + DEST).failed());
    s.put("escapes refused", () -> {
      for (String path : List.of(DEST + "/../../etc/passwd", "/etc/passwd", DEST + "/../" + HIDDEN + "/secret.bin",
          HIDDEN + "/secret.bin", DEST + "/%2e%2e/" + HIDDEN + "/secret.bin")) {
        leakedNothing(rcloneRun("cat", backend + ":" + path));
      }
      Run r = rcloneRun("cat", backend + ":" + HIDDEN + "/secret.bin").failed();
      leakedNothing(r);
      rcloneRun("cat", backend + ":/etc/passwd").failed();
    });
    return client("rclone " + backend, s);
  }

  // ---------------------------------------------------------------------------------------- S3

  private Run aws(String secret, String... args) throws Exception {
    Tools.require("/usr/bin/aws", "awscli");
    Path cfg = tmp.resolve("aws.cfg");
    if (!Files.exists(cfg)) Files.writeString(cfg, "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n");
    Map<String, String> env = new HashMap<>();
    env.put("HOME", tmp.toString());
    env.put("AWS_CONFIG_FILE", cfg.toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    env.put("AWS_ACCESS_KEY_ID", accessKey);
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_PAGER", "");
    env.put("PYTHONWARNINGS", "ignore:Unverified HTTPS request");
    return run(env, null, cat(List.of("/usr/bin/aws", "--endpoint-url", "https://127.0.0.1:" + ports.get("s3"),
        "--no-verify-ssl", "--cli-read-timeout", "30", "--cli-connect-timeout", "10"), args));
  }

  private DynamicNode aws() {
    Map<String, Executable> s = new LinkedHashMap<>();
    String key = "up/aws/deep/up.bin";
    s.put("login and list", () -> {
      assertThat(aws(secretKey, "s3", "ls").ok().out()).contains(DEST).doesNotContain(HIDDEN);
      assertThat(aws(secretKey, "s3", "ls", "s3://" + DEST + "/").ok().out()).contains("aws.bin");
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("aws-got.bin");
      aws(secretKey, "s3", "cp", "s3://" + DEST + "/aws.bin", local.toString()).ok();
      downloaded("aws", local, "s3");
    });
    s.put("upload (a nested key), read back, delete", () -> {
      Path up = upload("aws");
      Path back = tmp.resolve("aws-back.bin");
      aws(secretKey, "s3", "cp", up.toString(), "s3://" + DEST + "/" + key).ok();
      aws(secretKey, "s3", "cp", "s3://" + DEST + "/" + key, back.toString()).ok();
      sameContent(back, up);
      aws(secretKey, "s3", "rm", "s3://" + DEST + "/" + key).ok();
      assertThat(aws(secretKey, "s3", "ls", "--recursive", "s3://" + DEST + "/").ok().out()).doesNotContain(key);
    });
    s.put("wrong secret refused", () -> assertThat(aws("x".repeat(40), "s3", "ls", "s3://" + DEST + "/").failed().all())
        .contains("SignatureDoesNotMatch"));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String k : List.of("../" + HIDDEN + "/secret.bin", "/etc/passwd", "../../etc/passwd", "a/../../" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("aws-escape-" + i++);
        Run r = aws(secretKey, "s3api", "get-object", "--bucket", DEST, "--key", k, local.toString()).failed();
        // a path that climbs above the root ("/MATRIX/../../etc") is refused by Jetty (400) before the S3 handler
        if (!k.startsWith("../..")) assertThat(r.all()).as(r.describe()).contains("InvalidArgument");
        leakedNothing(r, local);
      }
      Path local = tmp.resolve("aws-escape-hidden");
      Run r = aws(secretKey, "s3", "cp", "s3://" + HIDDEN + "/secret.bin", local.toString()).failed();
      leakedNothing(r, local);
      Run put = aws(secretKey, "s3api", "put-object", "--bucket", DEST, "--key", "../" + HIDDEN + "/planted.bin", "--body",
          "/etc/hostname").failed();
      assertThat(put.all()).contains("InvalidArgument");
    });
    return client("aws CLI s3", s);
  }

  private Run s3cmd(String secret, String... args) throws Exception {
    Tools.require("s3cmd", "s3cmd");
    String host = "127.0.0.1:" + ports.get("s3");
    return run(Map.of("HOME", tmp.toString()), null, cat(List.of("s3cmd", "-c", "/dev/null", "--access_key=" + accessKey,
        "--secret_key=" + secret, "--host=" + host, "--host-bucket=" + host, "--ssl", "--no-check-certificate",
        "--region=us-east-1"), args));
  }

  private DynamicNode s3cmd() {
    Map<String, Executable> s = new LinkedHashMap<>();
    String key = "up/s3cmd/deep/up.bin";
    s.put("login and list", () -> {
      assertThat(s3cmd(secretKey, "ls").ok().out()).contains("s3://" + DEST).doesNotContain(HIDDEN);
      assertThat(s3cmd(secretKey, "ls", "s3://" + DEST + "/").ok().out()).contains("s3cmd.bin");
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("s3cmd-got.bin");
      s3cmd(secretKey, "get", "--force", "s3://" + DEST + "/s3cmd.bin", local.toString()).ok();
      downloaded("s3cmd", local, "s3");
    });
    s.put("upload (a nested key), read back, delete", () -> {
      Path up = upload("s3cmd");
      Path back = tmp.resolve("s3cmd-back.bin");
      s3cmd(secretKey, "put", up.toString(), "s3://" + DEST + "/" + key).ok();
      s3cmd(secretKey, "get", "--force", "s3://" + DEST + "/" + key, back.toString()).ok();
      sameContent(back, up);
      s3cmd(secretKey, "del", "s3://" + DEST + "/" + key).ok();
      assertThat(s3cmd(secretKey, "ls", "--recursive", "s3://" + DEST + "/").ok().out()).doesNotContain(key);
    });
    s.put("wrong secret refused", () -> assertThat(s3cmd("x".repeat(40), "ls", "s3://" + DEST + "/").failed().all())
        .contains("SignatureDoesNotMatch"));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String url : List.of("s3://" + DEST + "/../" + HIDDEN + "/secret.bin", "s3://" + DEST + "/../../etc/passwd",
          "s3://" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("s3cmd-escape-" + i++);
        Run r = s3cmd(secretKey, "get", "--force", url, local.toString()).failed();
        leakedNothing(r, local);
      }
    });
    return client("s3cmd", s);
  }

  // ----------------------------------------------------------------------------------- cadaver

  /** cadaver asks about the self-signed certificate on its terminal: script(1) gives it one, fed from stdin. */
  private Run cadaverRun(String password, String... commands) throws Exception {
    Path home = cadaverHome(password);
    String stdin = "y\n" + String.join("\n", commands) + "\nquit\n";
    return run(Map.of("HOME", home.toString(), "TERM", "dumb"), stdin, List.of("script", "-qec",
        "cadaver " + https("/" + DEST + "/"), "/dev/null"));
  }

  /** A HOME whose .netrc holds the password (cadaver reads it for the server's name). */
  private Path cadaverHome(String password) throws Exception {
    Tools.require("cadaver", "cadaver");
    Tools.require("script", "bsdutils");
    Path home = Files.createDirectories(tmp.resolve("cadaver-home-" + (password.equals(PASSWORD) ? "ok" : "wrong")));
    Path netrc = home.resolve(".netrc");
    Files.writeString(netrc, "machine 127.0.0.1 login " + USER + " password " + password + "\n");
    Files.setPosixFilePermissions(netrc, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    return home;
  }

  private DynamicNode cadaver() {
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> assertThat(cadaverRun(PASSWORD, "ls").ok().out()).contains("cadaver.bin"));
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("cadaver-got.bin");
      Run r = cadaverRun(PASSWORD, "get cadaver.bin " + local).ok();
      assertThat(local).as(r.describe()).exists();
      downloaded("cadaver", local, "https");
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload("cadaver");
      Path back = tmp.resolve("cadaver-back.bin");
      Run r = cadaverRun(PASSWORD, "put " + up + " up-cadaver.bin", "get up-cadaver.bin " + back, "delete up-cadaver.bin").ok();
      assertThat(r.out()).as(r.describe()).doesNotContainIgnoringCase("failed:");
      sameContent(back, up);
      assertThat(listing(DEST)).doesNotContain("up-cadaver.bin");
    });
    s.put("wrong password refused", () -> {
      // the .netrc password is refused, then cadaver asks on its terminal: it gets the wrong one again
      Path home = cadaverHome(WRONG);
      // (a refusal answered 401 again: cadaver asks once more, for as long as someone types; it is ended then)
      Run r = dialogue(Map.of("HOME", home.toString(), "TERM", "dumb"), "y\n" + USER + "\n",
          List.<String[]>of(new String[] {"Password:", WRONG + "\n"}),
          o -> o.indexOf("Authentication required") != o.lastIndexOf("Authentication required"),
          List.of("script", "-qec", "cadaver " + https("/" + DEST + "/"), "/dev/null"));
      assertThat(r.out()).as(r.describe()).doesNotContain("cadaver.bin").doesNotContain("dav:/" + DEST + "/>");
    });
    s.put("escapes refused", () -> {
      Path e = Files.createDirectories(tmp.resolve("cadaver-escape"));
      Run r = cadaverRun(PASSWORD, "get ../../etc/passwd " + e.resolve("1"), "get /etc/passwd " + e.resolve("2"),
          "get /" + HIDDEN + "/secret.bin " + e.resolve("3"), "get /" + DEST + "/../" + HIDDEN + "/secret.bin "
          + e.resolve("4"), "cd /" + HIDDEN);
      for (int i = 1; i <= 4; i++) leakedNothing(r, e.resolve(String.valueOf(i)));
      assertThat(r.out()).as(r.describe()).containsIgnoringCase("failed");
    });
    return client("cadaver webdav", s);
  }
}
