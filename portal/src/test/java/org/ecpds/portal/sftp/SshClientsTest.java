package org.ecpds.portal.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portal's SSH server over the in-memory portal contract, driven by the clients people use:
 * OpenSSH sftp (password and key), scp (its default SFTP mode and legacy "scp -O"), lftp and rclone.
 * Downloads are compared by SHA-256 and accounted; uploads land in the portal; refusals and escapes
 * are refused by each client's own error.
 */
class SshClientsTest {
  private static final String PW = "alice-pw-7f3a";
  @TempDir static Path tmp;
  static MemoryPortal portal;
  static PortalSftpServer server;
  static byte[] big;
  static Path work;

  record Result(int exit, String output) {}

  @BeforeAll
  static void start() throws Exception {
    Tools.require("sftp", "openssh-client");
    Tools.require("scp", "openssh-client");
    Tools.require("ssh-keygen", "openssh-client");
    Tools.require("sshpass", "sshpass");
    Tools.require("lftp", "lftp");
    Tools.require("rclone", "rclone");
    big = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(big);
    portal = new MemoryPortal().user("alice", PW).grant("alice", "d").grant("alice", "ro", FsPermission.GET, FsPermission.DIR)
        .user("bob", "bob-pw-2").grant("bob", "b").file("/d/big.bin", big).file("/d/small.txt", bytes("small"))
        .file("/ro/r.txt", bytes("read only")).file("/b/bob.txt", bytes("bob's"));
    server = new PortalSftpServer(portal, "127.0.0.1", 0, tmp.resolve("keys"), "m-ssh");
    server.start();
    work = Files.createDirectories(tmp.resolve("work"));
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) server.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String sha(Path p) throws Exception {
    return sha(Files.readAllBytes(p));
  }

  private static byte[] stored(String path) throws Exception {
    MemoryPortal.Stored s = portal.stored(path);
    return s == null ? null : s.content();
  }

  private static long downloads(String path) throws Exception {
    FsPath p = FsPath.parse(path);
    return portal.downloads.stream().filter(d -> d.path().equals(p)).count();
  }

  /**
   * Downloads of {@code path} once they reach {@code expected} or 10 s passed: a client that hangs up
   * right after its last byte leaves the server to close the file (and account the download) afterwards.
   */
  private static long awaitDownloads(String path, long expected) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long n;
    while ((n = downloads(path)) < expected && System.nanoTime() < end) Thread.sleep(20); // polls a condition
    return n;
  }

  private static Path local(String name, byte[] content) throws IOException {
    return Files.write(work.resolve(name), content);
  }

  private static Result run(List<String> command) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1)); // binary output too
  }

  private static List<String> ssh(String password, String program, String... options) {
    List<String> cmd = new ArrayList<>(List.of("sshpass", "-p", password, program, "-F", "/dev/null",
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no",
        "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=ERROR", "-P", String.valueOf(server.port())));
    cmd.addAll(List.of(options));
    return cmd;
  }

  private static Result sftp(String password, String... commands) throws Exception {
    Path batch = Files.writeString(Files.createTempFile(work, "batch", ".txt"), String.join("\n", commands) + "\n");
    // -b implies BatchMode=yes, which would skip password authentication
    List<String> cmd = ssh(password, "sftp", "-o", "BatchMode=no", "-b", batch.toString(), "alice@127.0.0.1");
    return run(cmd);
  }

  // ------------------------------------------------------------------------------- OpenSSH sftp

  @Test
  void opensshSftpDownloadsUploadsChangesAndRefuses() throws Exception {
    Path up = local("up.bin", Arrays.copyOf(big, 1_000_003));
    long before = downloads("/d/big.bin");
    Result r = sftp(PW, "ls -1 /", "get /d/big.bin sftp-big.bin", "put up.bin /d/up.bin", "get /d/up.bin up.back",
        "mkdir /d/newdir", "rename /d/up.bin /d/newdir/up2.bin", "ls -1 /d/newdir", "-rmdir /d/newdir",
        "rm /d/newdir/up2.bin", "rmdir /d/newdir", "-put up.bin /ro/x.bin", "-get ../../etc/passwd",
        "-get /etc/passwd", "-ln -s /d/small.txt /d/link", "-chmod 600 /d/small.txt", "-ls /b");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(sha(work.resolve("sftp-big.bin"))).isEqualTo(sha(big));
    assertThat(sha(work.resolve("up.back"))).isEqualTo(sha(up));
    assertThat(r.output()).contains("/d/newdir/up2.bin");
    assertThat(stored("/d/up.bin")).isNull();
    assertThat(stored("/d/newdir/up2.bin")).isNull();
    assertThat(stored("/ro/x.bin")).isNull();
    assertThat(work.resolve("passwd")).doesNotExist();
    assertThat(stored("/d/link")).isNull();
    assertThat(awaitDownloads("/d/big.bin", before + 1) - before).isEqualTo(1);
    // refusals, each with its SFTP status (OpenSSH prints v3 codes only: "not empty" shows as unknown)
    assertThat(r.output()).contains("dest open \"/ro/x.bin\": Permission denied",
        "remote symlink file \"/d/small.txt\" to \"/d/link\": Permission denied", "remote rmdir \"/d/newdir\": ",
        "\"/etc/passwd\" not found", "\"/b\" not found");
  }

  @Test
  void wrongPasswordIsRefused() throws Exception {
    Result r = sftp("not-" + PW, "ls /");
    assertThat(r.exit()).isNotZero();
    assertThat(portal.denied).contains("alice: login");
  }

  @Test
  void publicKeyLogin() throws Exception {
    Path key = work.resolve("id_ecdsa");
    if (!Files.exists(key)) run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f", key.toString()));
    String line = Files.readString(work.resolve("id_ecdsa.pub")).strip();
    portal.key("alice", PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null));
    Path batch = Files.writeString(work.resolve("key-batch.txt"), "get /d/small.txt key-small.txt\n");
    Result r = run(List.of("sftp", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no", "-i", key.toString(),
        "-P", String.valueOf(server.port()), "-b", batch.toString(), "alice@127.0.0.1"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(work.resolve("key-small.txt")).hasContent("small");
  }

  // --------------------------------------------------------------------------------------- scp

  @Test
  void scpInBothModesDownloadsAndUploads() throws Exception {
    Path up = local("scp-up.bin", Arrays.copyOf(big, 2_000_001));
    long before = downloads("/d/big.bin");
    for (String mode : List.of("default", "legacy")) {
      List<String> o = mode.equals("legacy") ? List.of("-O") : List.of();
      List<String> get = new ArrayList<>(o);
      get.addAll(List.of("alice@127.0.0.1:/d/big.bin", "scp-" + mode + ".bin"));
      Result down = run(ssh(PW, "scp", get.toArray(String[]::new)));
      assertThat(down.exit()).as(mode + ": " + down.output()).isZero();
      assertThat(sha(work.resolve("scp-" + mode + ".bin"))).as(mode).isEqualTo(sha(big));
      List<String> put = new ArrayList<>(o);
      put.addAll(List.of(up.toString(), "alice@127.0.0.1:/d/scp-" + mode + "-up.bin"));
      Result upload = run(ssh(PW, "scp", put.toArray(String[]::new)));
      assertThat(upload.exit()).as(mode + ": " + upload.output()).isZero();
      assertThat(sha(stored("/d/scp-" + mode + "-up.bin"))).as(mode).isEqualTo(sha(up));
    }
    assertThat(awaitDownloads("/d/big.bin", before + 2) - before).isEqualTo(2);
    // the SSH login cannot know the channel will be scp: the legacy scp channel relabels its session
    FsPath big = FsPath.parse("/d/big.bin");
    assertThat(portal.downloads.stream().filter(d -> d.path().equals(big) && d.protocol().equals("scp")))
        .as("legacy scp names itself; OpenSSH's default scp is SFTP").hasSize(1);
  }

  @Test
  void legacyScpRefusesEscapesAndUngrantedWrites() throws Exception {
    Path up = local("scp-refused.bin", bytes("nope"));
    Result escape = run(ssh(PW, "scp", "-O", "alice@127.0.0.1:/../../etc/passwd", "escaped-passwd"));
    assertThat(escape.exit()).as(escape.output()).isNotZero();
    assertThat(work.resolve("escaped-passwd")).doesNotExist();
    Result relative = run(ssh(PW, "scp", "-O", "alice@127.0.0.1:../../../etc/hostname", "escaped-hostname"));
    assertThat(relative.exit()).as(relative.output()).isNotZero();
    assertThat(work.resolve("escaped-hostname")).doesNotExist();
    Result other = run(ssh(PW, "scp", "-O", "alice@127.0.0.1:/b/bob.txt", "bobs"));
    assertThat(other.exit()).isNotZero();
    assertThat(work.resolve("bobs")).doesNotExist();
    Result readOnly = run(ssh(PW, "scp", "-O", up.toString(), "alice@127.0.0.1:/ro/refused.bin"));
    assertThat(readOnly.exit()).as(readOnly.output()).isNotZero();
    assertThat(stored("/ro/refused.bin")).isNull();
  }

  @Test
  void otherCommandsAreRefusedWithCommandNotFound() throws Exception {
    Result exec = run(List.of("sshpass", "-p", PW, "ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
        "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no", "-o", "LogLevel=ERROR",
        "-p", String.valueOf(server.port()), "alice@127.0.0.1", "md5sum /d/small.txt"));
    assertThat(exec.exit()).as(exec.output()).isEqualTo(127);
  }

  // --------------------------------------------------------------------------------------- lftp

  @Test
  void lftpListsDownloadsUploadsAndDeletes() throws Exception {
    Path up = local("lftp-up.bin", Arrays.copyOf(big, 500_000));
    long before = downloads("/d/big.bin");
    String script = "set sftp:auto-confirm yes; "
        + "set sftp:connect-program 'ssh -a -x -F /dev/null -o StrictHostKeyChecking=no"
        + " -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no'; set net:max-retries 1; "
        + "cls -1 d; get d/big.bin -o lftp-big.bin; put " + up + " -o d/lftp-up.bin; get d/lftp-up.bin -o lftp-back.bin; "
        + "rm d/lftp-up.bin; bye";
    Result r = run(List.of("lftp", "-u", "alice," + PW, "-p", String.valueOf(server.port()), "-e", script,
        "sftp://127.0.0.1"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("big.bin", "small.txt");
    assertThat(sha(work.resolve("lftp-big.bin"))).isEqualTo(sha(big));
    assertThat(sha(work.resolve("lftp-back.bin"))).isEqualTo(sha(up));
    assertThat(stored("/d/lftp-up.bin")).isNull();
    assertThat(awaitDownloads("/d/big.bin", before + 1) - before).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------------- rclone

  @Test
  void rcloneListsDownloadsUploadsAndDeletes() throws Exception {
    String obscured = run(List.of("rclone", "obscure", PW)).output().strip();
    Path config = Files.writeString(work.resolve("rclone.conf"), "");
    String remote = ":sftp,host=127.0.0.1,port=" + server.port() + ",user=alice,pass=" + obscured + ":";
    List<String> base = List.of("rclone", "--config", config.toString(), "--retries", "1", "--low-level-retries", "1");
    Path up = local("rclone-up.bin", Arrays.copyOf(big, 1_234_567));
    Result ls = run(concat(base, "lsf", remote + "d"));
    assertThat(ls.exit()).as(ls.output()).isZero();
    assertThat(ls.output().lines()).contains("big.bin", "small.txt");
    long before = downloads("/d/big.bin");
    Result get = run(concat(base, "copyto", remote + "d/big.bin", work.resolve("rclone-big.bin").toString()));
    assertThat(get.exit()).as(get.output()).isZero();
    assertThat(sha(work.resolve("rclone-big.bin"))).isEqualTo(sha(big));
    assertThat(awaitDownloads("/d/big.bin", before + 1) - before).isEqualTo(1);
    Result put = run(concat(base, "copyto", up.toString(), remote + "d/rclone-up.bin"));
    assertThat(put.exit()).as(put.output()).isZero();
    assertThat(sha(stored("/d/rclone-up.bin"))).isEqualTo(sha(up));
    Result back = run(concat(base, "copyto", remote + "d/rclone-up.bin", work.resolve("rclone-back.bin").toString()));
    assertThat(back.exit()).as(back.output()).isZero();
    assertThat(sha(work.resolve("rclone-back.bin"))).isEqualTo(sha(up));
    Result del = run(concat(base, "deletefile", remote + "d/rclone-up.bin"));
    assertThat(del.exit()).as(del.output()).isZero();
    assertThat(stored("/d/rclone-up.bin")).isNull();
    Result refused = run(concat(base, "copyto", up.toString(), remote + "ro/rclone-up.bin"));
    assertThat(refused.exit()).isNotZero();
    assertThat(stored("/ro/rclone-up.bin")).isNull();
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }
}
