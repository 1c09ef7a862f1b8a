package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ecpds.testkit.Conditions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;

/**
 * What every client's script of {@link PortalClientsEndToEndTest} shares: the names of the matrix, the
 * checks of a download, an upload and an escape, and client processes that are always bounded in time.
 */
abstract class ClientScripts {
  static final String DEST = PortalMatrix.DEST;
  static final String HIDDEN = PortalMatrix.HIDDEN;
  static final String USER = PortalMatrix.USER;
  static final String PASSWORD = PortalMatrix.PASSWORD;
  static final String WRONG = "not-the-password";
  static final String PASSWD_LINE = "root:x:0:0";
  /** Every client invocation is bounded: a refusal must be the client's failure, never a hang. */
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

  final PortalMatrix matrix;
  final Path tmp;
  final Rest admin;
  final Map<String, Integer> ports;
  final String accessKey;
  final String secretKey;

  ClientScripts(PortalMatrix matrix) {
    this.matrix = matrix;
    this.tmp = matrix.tmp();
    this.admin = matrix.admin();
    this.ports = matrix.ports();
    this.accessKey = matrix.accessKey();
    this.secretKey = matrix.secretKey();
  }

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

  static DynamicNode client(String name, Map<String, Executable> steps) {
    return dynamicContainer(name, steps.entrySet().stream().map(e -> dynamicTest(e.getKey(), e.getValue())));
  }

  /** The download's content, and the portal's accounting: the StandBy transfer is DONE over the protocol. */
  void downloaded(String client, Path local, String protocol) throws Exception {
    assertThat(local).as(client + " downloaded").exists();
    assertThat(StandaloneEndToEndTest.sha256(local)).as(client + " content").isEqualTo(matrix.sha256Of(client));
    long id = matrix.transferOf(client);
    JsonNode t = admin.awaitTransfer(id, "DONE", Duration.ofSeconds(30));
    assertThat(t.get("history")).as(client + " history").anySatisfy(h ->
        assertThat(h.get("comment").asText()).isEqualTo("downloaded by " + USER + " over " + protocol));
  }

  Path upload(String client) throws Exception {
    Path f = tmp.resolve("up-" + client + ".bin");
    StandaloneEndToEndTest.writeRandom(f, 700_001 + client.length(), client.hashCode());
    return f;
  }

  static void sameContent(Path back, Path up) throws Exception {
    assertThat(back).exists();
    assertThat(StandaloneEndToEndTest.sha256(back)).as("read back " + back).isEqualTo(StandaloneEndToEndTest.sha256(up));
  }

  /** What the portal lists in the destination (HTTPS JSON listing), to check that a delete took effect. */
  String listing(String dir) throws Exception {
    return run(List.of("curl", "-sS", "--fail", "-k", "-u", USER + ":" + PASSWORD, "-H", "Accept: application/json",
        "https://127.0.0.1:" + ports.get("https") + "/" + dir + "/")).ok().out();
  }

  /** Nothing from outside the user's tree reached the client or the local disk. */
  static void leakedNothing(Run r, Path... locals) throws Exception {
    assertThat(r.all()).as(r.describe()).doesNotContain(PASSWD_LINE).doesNotContain(PortalMatrix.SECRET.strip());
    for (Path l : locals) {
      if (Files.exists(l)) {
        assertThat(Files.readString(l, StandardCharsets.ISO_8859_1)).as(l.toString()).doesNotContain(PASSWD_LINE)
            .doesNotContain(PortalMatrix.SECRET.strip());
      }
    }
  }

  Run run(List<String> command) throws Exception {
    return run(Map.of(), null, command);
  }

  /**
   * A terminal dialogue: {@code stdin} first, then for each pair, once the output shows {@code [0]}, sends
   * {@code [1]}. For prompts that discard typed-ahead input (getpass flushes the terminal). With
   * {@code until}, the client is ended once its output satisfies it (a client that keeps asking).
   */
  Run dialogue(Map<String, String> env, String stdin, List<String[]> turns,
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
        kill(p);
      }
    } catch (AssertionError | java.io.IOException e) {
      kill(p);
      throw new AssertionError(e.getMessage() + "\n--- output\n" + Files.readString(out, StandardCharsets.ISO_8859_1), e);
    }
    if (!p.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      kill(p);
      throw new AssertionError("did not finish within " + CLIENT_TIMEOUT.toSeconds() + " s (a hang): "
          + String.join(" ", command) + "\n--- output\n" + Files.readString(out, StandardCharsets.ISO_8859_1));
    }
    return new Run(command, p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), "");
  }

  Run run(Map<String, String> env, String stdin, List<String> command) throws Exception {
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
      kill(p);
      throw new AssertionError("did not finish within " + CLIENT_TIMEOUT.toSeconds() + " s (a hang): "
          + String.join(" ", command) + "\n--- stdout\n" + Files.readString(out, StandardCharsets.ISO_8859_1)
          + "\n--- stderr\n" + Files.readString(err, StandardCharsets.ISO_8859_1));
    }
    return new Run(command, p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
        Files.readString(err, StandardCharsets.ISO_8859_1));
  }

  /** Ends a client and whatever it started (ssh under sftp, sshpass's child), and waits for it. */
  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly().waitFor();
  }

  static List<String> cat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(Arrays.asList(tail));
    return all;
  }

  String https(String path) {
    return "https://127.0.0.1:" + ports.get("https") + path;
  }
}
