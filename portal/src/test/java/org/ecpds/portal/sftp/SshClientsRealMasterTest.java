package org.ecpds.portal.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
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
import org.ecpds.portal.fs.FsPermission;
import org.ecpds.portal.fs.RealMasterFixture;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: OpenSSH sftp, scp (both modes), lftp and rclone against the portal SSH server of a real
 * mover linked to the real master (H2). Uploads go through the data store and the master's
 * registration; what a client uploaded is read back by another, byte for byte.
 */
class SshClientsRealMasterTest {
  private static final String PW = "alice-pw-e2e-1";
  @TempDir static Path tmp;
  static RealMasterFixture f;
  static PortalSftpServer server;
  static byte[] big;
  static Path work;

  record Result(int exit, String output) {}

  @BeforeAll
  static void start() throws Exception {
    Tools.require("sftp", "openssh-client");
    Tools.require("sshpass", "sshpass");
    Tools.require("lftp", "lftp");
    Tools.require("rclone", "rclone");
    big = new byte[2 * 1024 * 1024 + 5];
    new Random(11).nextBytes(big);
    f = new RealMasterFixture(tmp.resolve("cluster"));
    f.user("alice", PW).grant("alice", "d").grant("alice", "ro", FsPermission.GET, FsPermission.DIR);
    f.file("/d/big.bin", big).file("/ro/r.txt", "read only".getBytes(StandardCharsets.UTF_8));
    server = new PortalSftpServer(f.login(), "127.0.0.1", 0, tmp.resolve("keys"), "m1");
    server.start();
    work = Files.createDirectories(tmp.resolve("work"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) server.close();
    if (f != null) f.close();
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static Result run(List<String> command) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
  }

  private static List<String> ssh(String program, String... more) {
    List<String> cmd = new ArrayList<>(List.of("sshpass", "-p", PW, program, "-F", "/dev/null",
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "PubkeyAuthentication=no",
        "-o", "LogLevel=ERROR", "-P", String.valueOf(server.port())));
    cmd.addAll(List.of(more));
    return cmd;
  }

  @Test
  void sftpAndScpUploadDownloadAndChange() throws Exception {
    Path up = Files.write(work.resolve("up.bin"), Arrays.copyOf(big, 777_777));
    Path batch = Files.writeString(work.resolve("batch.txt"), String.join("\n", "get /d/big.bin big.copy",
        "put up.bin /d/up.bin", "mkdir /d/dir", "rename /d/up.bin /d/dir/moved.bin", "get /d/dir/moved.bin moved.copy",
        "-put up.bin /ro/no.bin", "-rmdir /d/dir", "ls -1 /d/dir") + "\n");
    Result r = run(ssh("sftp", "-o", "BatchMode=no", "-b", batch.toString(), "alice@127.0.0.1"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(sha(Files.readAllBytes(work.resolve("big.copy")))).isEqualTo(sha(big));
    assertThat(sha(Files.readAllBytes(work.resolve("moved.copy")))).isEqualTo(sha(Files.readAllBytes(up)));
    assertThat(r.output()).contains("dest open \"/ro/no.bin\": Permission denied", "/d/dir/moved.bin");
    assertThat(f.content("/ro/no.bin")).isNull();
    assertThat(f.content("/d/up.bin")).isNull();

    Result legacy = run(ssh("scp", "-O", up.toString(), "alice@127.0.0.1:/d/dir/legacy.bin"));
    assertThat(legacy.exit()).as(legacy.output()).isZero();
    Result modern = run(ssh("scp", up.toString(), "alice@127.0.0.1:/d/dir/modern.bin"));
    assertThat(modern.exit()).as(modern.output()).isZero();
    assertThat(sha(f.content("/d/dir/legacy.bin"))).isEqualTo(sha(Files.readAllBytes(up)));
    assertThat(sha(f.content("/d/dir/modern.bin"))).isEqualTo(sha(Files.readAllBytes(up)));
    Result back = run(ssh("scp", "-O", "alice@127.0.0.1:/d/dir/legacy.bin", "legacy.copy"));
    assertThat(back.exit()).as(back.output()).isZero();
    assertThat(Files.mismatch(work.resolve("legacy.copy"), up)).isEqualTo(-1L);
    assertThat(f.downloads()).contains("alice /d/big.bin", "alice /d/dir/moved.bin", "alice /d/dir/legacy.bin");
  }

  @Test
  void rcloneAndLftpUploadAndRemove() throws Exception {
    Path up = Files.write(work.resolve("rc.bin"), Arrays.copyOf(big, 1_500_000));
    String obscured = run(List.of("rclone", "obscure", PW)).output().strip();
    String remote = ":sftp,host=127.0.0.1,port=" + server.port() + ",user=alice,pass=" + obscured + ":";
    List<String> base = List.of("rclone", "--config", Files.writeString(work.resolve("rclone.conf"), "").toString(),
        "--retries", "1", "--low-level-retries", "1");
    Result put = run(concat(base, "copyto", up.toString(), remote + "d/rclone.bin"));
    assertThat(put.exit()).as(put.output()).isZero();
    assertThat(sha(f.content("/d/rclone.bin"))).isEqualTo(sha(Files.readAllBytes(up)));
    Result del = run(concat(base, "deletefile", remote + "d/rclone.bin"));
    assertThat(del.exit()).as(del.output()).isZero();
    assertThat(f.content("/d/rclone.bin")).isNull();

    String script = "set sftp:auto-confirm yes; "
        + "set sftp:connect-program 'ssh -a -x -F /dev/null -o StrictHostKeyChecking=no"
        + " -o UserKnownHostsFile=/dev/null -o PubkeyAuthentication=no'; set net:max-retries 1; "
        + "put " + up + " -o d/lftp.bin; get d/lftp.bin -o lftp.copy; rm d/lftp.bin; bye";
    Result lftp = run(List.of("lftp", "-u", "alice," + PW, "-p", String.valueOf(server.port()), "-e", script,
        "sftp://127.0.0.1"));
    assertThat(lftp.exit()).as(lftp.output()).isZero();
    assertThat(Files.mismatch(work.resolve("lftp.copy"), up)).isEqualTo(-1L);
    assertThat(f.content("/d/lftp.bin")).isNull();
  }

  private static List<String> concat(List<String> base, String... more) {
    List<String> out = new ArrayList<>(base);
    out.addAll(List.of(more));
    return out;
  }
}
