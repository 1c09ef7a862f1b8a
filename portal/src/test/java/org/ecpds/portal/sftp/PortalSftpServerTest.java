package org.ecpds.portal.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ecpds.portal.sftp.InMemoryPortalBackend.grant;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ecpds.testkit.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The portal SFTP server driven by the real OpenSSH sftp client over loopback. */
class PortalSftpServerTest {
  private static final long BIG = 20L * 1024 * 1024;

  @TempDir static Path tmp;
  static InMemoryPortalBackend backend;
  static PortalSftpServer server;
  static SftpCli sftp;
  static Path big;

  @BeforeAll
  static void start() throws Exception {
    backend = new InMemoryPortalBackend();
    backend.addUser("alice", "s3cret", grant("forecast", true, true), grant("listonly", false, true),
        grant("putonly", false, false));
    backend.addUser("bob", "hunter2", grant("private", true, true));
    Path store = Files.createDirectories(tmp.resolve("store"));
    big = randomFile(store.resolve("big"), BIG);
    backend.addFile("forecast", "big.bin", big);
    backend.addFile("forecast", "small.txt", write(store.resolve("small"), "hello"));
    backend.addFile("forecast", "sub/nested.txt", write(store.resolve("nested"), "nested!"));
    backend.addFile("listonly", "seen.txt", write(store.resolve("seen"), "seen"));
    backend.addFile("private", "bob.txt", write(store.resolve("bob"), "bob only"));
    server = new PortalSftpServer(backend, "127.0.0.1", FreePorts.next(), tmp.resolve("keys"), "mover-test");
    server.start();
    sftp = new SftpCli(server.port(), Files.createDirectories(tmp.resolve("client")));
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) server.close();
  }

  @BeforeEach
  void reset() {
    backend.reset();
  }

  @Test
  void rootListsExactlyTheBrowsableDestinations() throws Exception {
    SftpCli.Result r = sftp.run("alice", "s3cret", "ls -1 /", "cd forecast", "pwd");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(entries(r.output(), "ls -1 /")).containsExactly("forecast", "listonly");
    assertThat(r.output()).contains("Remote working directory: /forecast");
  }

  @Test
  void destinationListsFilesWithSizes() throws Exception {
    SftpCli.Result r = sftp.run("alice", "s3cret", "ls -ln forecast", "ls -1 forecast/sub");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).containsPattern("-r--r-----.* " + BIG + " .*big\\.bin")
        .containsPattern("-r--r-----.* 5 .*small\\.txt")
        .containsPattern("dr-xr-x---.*sub")
        .contains("forecast/sub/nested.txt");
    assertThat(backend.downloads).isEmpty();
  }

  @Test
  void getStreamsIdenticalBytesAndReportsOneDownload() throws Exception {
    Path local = tmp.resolve("client/big.copy");
    SftpCli.Result r = sftp.run("alice", "s3cret", "get /forecast/big.bin " + local);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(Files.mismatch(big, local)).isEqualTo(-1L);
    assertThat(backend.downloads).containsExactly(
        new InMemoryPortalBackend.Download("alice", "big.bin", BIG, "sftp"));
  }

  @Test
  void partialOrFailedReadsAreNotReported() throws Exception {
    Path local = tmp.resolve("client/partial.copy");
    try (OutputStream out = Files.newOutputStream(local)) {
      out.write(Files.readAllBytes(big), 0, 1024 * 1024); // reget then fetches only the tail
    }
    SftpCli.Result r = sftp.run("alice", "s3cret", "reget /forecast/big.bin " + local, "ls -l forecast",
        "-get forecast/missing.bin");
    assertThat(r.output()).contains("missing.bin");
    assertThat(Files.mismatch(big, local)).isEqualTo(-1L);
    assertThat(backend.downloads).isEmpty();
  }

  @Test
  void wrongPasswordIsRefusedAndReported() throws Exception {
    SftpCli.Result r = sftp.run("alice", "wrong", "ls /");
    assertThat(r.exitCode()).isNotZero();
    assertThat(backend.denials).isNotEmpty().allSatisfy(d -> {
      assertThat(d.user()).isEqualTo("alice");
      assertThat(d.message()).isEqualTo("Password authentication failed");
    });
  }

  @Test
  void anotherUsersDestinationIsInvisible() throws Exception {
    SftpCli.Result r = sftp.run("alice", "s3cret", "-ls /private", "-get /private/bob.txt", "-cd private",
        "-get putonly/x");
    assertThat(r.output()).contains("\"/private\" not found", "\"/private/bob.txt\" not found");
    assertThat(Files.exists(tmp.resolve("client/bob.txt"))).isFalse();
    assertThat(backend.denials).extracting(InMemoryPortalBackend.Denial::message)
        .contains("Destination private not granted", "Destination putonly not granted");
    assertThat(sftp.run("alice", "s3cret", "ls /private").exitCode()).isNotZero();
  }

  @Test
  void pathsCannotLeaveTheVirtualRoot() throws Exception {
    SftpCli.Result r = sftp.run("alice", "s3cret", "cd ..", "pwd", "cd ../../..", "pwd", "ls -1 /../..",
        "-get ../../etc/passwd", "-get /etc/passwd", "-get forecast/../../../etc/passwd", "cd forecast",
        "-get ../../etc/hostname", "get ../forecast/small.txt", "ls -1 ../../..");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).doesNotContain("Remote working directory: /..")
        .contains("Remote working directory: /\n");
    assertThat(entries(r.output(), "ls -1 /../..")).containsExactly("forecast", "listonly");
    assertThat(entries(r.output(), "ls -1 ../../..")).containsExactly("forecast", "listonly");
    assertThat(tmp.resolve("client/passwd")).doesNotExist();
    assertThat(tmp.resolve("client/hostname")).doesNotExist();
    assertThat(tmp.resolve("client/small.txt")).hasContent("hello");
  }

  @Test
  void everyMutationIsRefused() throws Exception {
    Path upload = write(tmp.resolve("client/upload.txt"), "data");
    SftpCli.Result r = sftp.run("alice", "s3cret", "-put " + upload + " forecast/upload.txt",
        "-put " + upload + " forecast/small.txt", "-mkdir forecast/newdir", "-rm forecast/small.txt",
        "-rmdir forecast/sub", "-rename forecast/small.txt forecast/moved.txt", "-chmod 777 forecast/small.txt",
        "-ln -s forecast/small.txt forecast/link", "ls -1 forecast");
    Matcher m = Pattern.compile("Permission denied").matcher(r.output());
    int denied = 0;
    while (m.find()) denied++;
    assertThat(denied).as(r.output()).isEqualTo(8);
    assertThat(entries(r.output(), "ls -1 forecast"))
        .containsExactly("big.bin", "small.txt", "sub");
  }

  @Test
  void hostKeyIsGeneratedOnceAndReused() throws Exception {
    Path key = tmp.resolve("keys").resolve(PortalSftpServer.HOST_KEY_FILE);
    byte[] before = Files.readAllBytes(key);
    try (PortalSftpServer second = new PortalSftpServer(backend, "127.0.0.1", 0, tmp.resolve("keys"), "m")) {
      second.start();
      assertThat(second.port()).isPositive();
    }
    assertThat(Files.readAllBytes(key)).isEqualTo(before);
  }

  /** Names (last path segment) printed by one batch command, up to the next echoed command. */
  private static List<String> entries(String output, String command) {
    String[] parts = output.split("sftp> ", -1);
    return Arrays.stream(parts).filter(p -> p.startsWith(command + "\n")).findFirst()
        .map(p -> p.substring(command.length() + 1).lines().map(String::strip).filter(s -> !s.isEmpty())
            .map(s -> s.substring(s.lastIndexOf('/') + 1)).toList())
        .orElseThrow(() -> new AssertionError("no output for " + command + " in:\n" + output));
  }

  private static Path write(Path p, String text) throws IOException {
    return Files.writeString(p, text);
  }

  private static Path randomFile(Path p, long size) throws IOException {
    Random random = new Random(42);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(p)) {
      for (long done = 0; done < size; done += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - done));
      }
    }
    return p;
  }
}
