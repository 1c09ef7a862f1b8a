package org.ecpds.portal.ftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.portal.fs.PortalFs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock clients against the portal's FTP server over a MemoryPortal: lftp (FTP and explicit FTPS),
 * curl (explicit and implicit FTPS, resume, upload), rclone (explicit FTPS, MLSD mtimes, 200 files).
 */
class PortalFtpClientsTest {
  private static FtpTestPortal t;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    t = new FtpTestPortal(FtpTestPortal.settings());
    for (int i = 0; i < 200; i++) t.portal.file(String.format("/DEST/many/f%03d.txt", i), ("file " + i + "\n").getBytes());
  }

  @AfterAll
  static void stop() {
    if (t != null) t.close();
  }

  private Cli.Result lftp(boolean tls, int port, String user, String password, String... commands) throws Exception {
    Cli.require("lftp");
    List<String> script = new ArrayList<>(List.of("set cmd:fail-exit yes", "set net:max-retries 1",
        "set net:reconnect-interval-base 1", "set net:timeout 20", "set xfer:clobber yes"));
    if (tls) script.addAll(List.of("set ftp:ssl-force true", "set ftp:ssl-protect-data true", "set ssl:verify-certificate no"));
    else script.add("set ftp:ssl-allow no");
    script.add("open -u " + user + "," + password + " ftp://127.0.0.1:" + port);
    script.addAll(List.of(commands));
    Path file = dir.resolve("script.lftp");
    Files.writeString(file, String.join("\n", script) + "\n");
    return Cli.run(dir, Map.of("HOME", dir.toString()), List.of("lftp", "-f", file.toString()));
  }

  private void lftpRoundTrip(boolean tls, int port, String protocol) throws Exception {
    byte[] up = FtpTestPortal.random(123_457);
    Files.write(dir.resolve("up.bin"), up);
    int before = t.portal.downloads.size();
    Cli.Result r = lftp(tls, port, FtpTestPortal.USER, t.password,
        "cls -1 /", "cd /DEST/data", "cls -l", "get report.bin -o " + dir.resolve("got.bin"),
        "put " + dir.resolve("up.bin") + " -o /DEST/up-" + protocol + ".bin",
        "get /DEST/up-" + protocol + ".bin -o " + dir.resolve("back.bin"), "rm /DEST/up-" + protocol + ".bin");
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(r.output()).contains("DEST").doesNotContain("OTHER").contains("report.bin");
    assertThat(FtpTestPortal.sha256(Files.readAllBytes(dir.resolve("got.bin")))).isEqualTo(FtpTestPortal.sha256(t.report));
    assertThat(FtpTestPortal.sha256(Files.readAllBytes(dir.resolve("back.bin")))).isEqualTo(FtpTestPortal.sha256(up));
    assertThat(t.portal.stored("/DEST/up-" + protocol + ".bin")).isNull();
    assertThat(t.portal.downloads.subList(before, t.portal.downloads.size())).contains(
        new MemoryPortal.Download(FtpTestPortal.USER, protocol, FsPath.parse("/DEST/data/report.bin")),
        new MemoryPortal.Download(FtpTestPortal.USER, protocol, FsPath.parse("/DEST/up-" + protocol + ".bin")));
  }

  @Test
  void lftpPlainFtpListsDownloadsUploadsReadsBackDeletes() throws Exception {
    lftpRoundTrip(false, t.server.ftpPort(), "ftp");
  }

  @Test
  void lftpExplicitFtpsListsDownloadsUploadsReadsBackDeletes() throws Exception {
    lftpRoundTrip(true, t.server.port(), "ftps");
  }

  @Test
  void lftpWrongPasswordIsRefused() throws Exception {
    Cli.Result r = lftp(true, t.server.port(), FtpTestPortal.USER, "wrong-" + t.password, "cls /");
    assertThat(r.ok()).isFalse();
    assertThat(r.output()).contains("530");
    assertThat(t.portal.denied).contains(FtpTestPortal.USER + ": login");
  }

  @Test
  void lftpCannotLeaveTheRoot() throws Exception {
    // lftp normalises "cd .." itself; quote sends it as typed (and exits 0 whatever the reply)
    Cli.Result up = lftp(true, t.server.port(), FtpTestPortal.USER, t.password, "quote CWD ..", "quote CWD /DEST/../..", "quote PWD");
    assertThat(up.output()).containsSubsequence("550", "550", "257 \"/\"");
    Cli.Result get = lftp(true, t.server.port(), FtpTestPortal.USER, t.password, "get /DEST/../../etc/passwd -o " + dir.resolve("p"));
    assertThat(get.ok()).as(get.output()).isFalse();
    assertThat(get.output()).contains("553");
    Cli.Result abs = lftp(true, t.server.port(), FtpTestPortal.USER, t.password, "get /etc/passwd -o " + dir.resolve("p"));
    assertThat(abs.ok()).as(abs.output()).isFalse();
    assertThat(abs.output()).contains("550");
    Cli.Result hidden = lftp(true, t.server.port(), FtpTestPortal.USER, t.password, "get /OTHER/secret.bin -o " + dir.resolve("p"));
    assertThat(hidden.ok()).as(hidden.output()).isFalse();
    assertThat(Files.exists(dir.resolve("p"))).isFalse();
  }

  private Cli.Result curl(String... args) throws Exception {
    Cli.require("curl");
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "60", "-u", FtpTestPortal.USER + ":" + t.password));
    cmd.addAll(List.of(args));
    return Cli.run(dir, Map.of(), cmd);
  }

  private String explicitUrl(String path) {
    return "ftp://127.0.0.1:" + t.server.port() + path;
  }

  private String implicitUrl(String path) {
    return "ftps://127.0.0.1:" + t.server.implicitPort() + path;
  }

  private void curlRoundTrip(String base, String... tls) throws Exception {
    String name = "/DEST/curl-" + Math.abs(base.hashCode()) + ".bin";
    List<String> common = List.of(tls);
    Cli.Result list = curl(concat(common, "--list-only", base + "/DEST/data/"));
    assertThat(list.ok()).as(list.output()).isTrue();
    assertThat(list.output()).contains("report.bin");
    Cli.Result get = curl(concat(common, "-o", dir.resolve("got.bin").toString(), base + "/DEST/data/report.bin"));
    assertThat(get.ok()).as(get.output()).isTrue();
    assertThat(FtpTestPortal.sha256(Files.readAllBytes(dir.resolve("got.bin")))).isEqualTo(FtpTestPortal.sha256(t.report));

    byte[] up = FtpTestPortal.random(77_777);
    Files.write(dir.resolve("up.bin"), up);
    Cli.Result put = curl(concat(common, "-T", dir.resolve("up.bin").toString(), base + name));
    assertThat(put.ok()).as(put.output()).isTrue();
    assertThat(t.portal.stored(name).content()).isEqualTo(up);
    Cli.Result back = curl(concat(common, "-o", dir.resolve("back.bin").toString(), base + name));
    assertThat(back.ok()).as(back.output()).isTrue();
    assertThat(FtpTestPortal.sha256(Files.readAllBytes(dir.resolve("back.bin")))).isEqualTo(FtpTestPortal.sha256(up));
    Cli.Result del = curl(concat(common, "-Q", "DELE " + name, base + "/"));
    assertThat(del.ok()).as(del.output()).isTrue();
    assertThat(t.portal.stored(name)).isNull();
  }

  private static String[] concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  @Test
  void curlExplicitFtpsRoundTrip() throws Exception {
    curlRoundTrip("ftp://127.0.0.1:" + t.server.port(), "--ssl-reqd");
  }

  @Test
  void curlImplicitFtpsRoundTrip() throws Exception {
    curlRoundTrip("ftps://127.0.0.1:" + t.server.implicitPort());
  }

  @Test
  void curlResumesADownloadFromWhereItStopped() throws Exception {
    int have = 100_003;
    Files.write(dir.resolve("partial.bin"), java.util.Arrays.copyOf(t.report, have));
    int before = t.portal.downloads.size();
    Cli.Result r = curl("--ssl-reqd", "-C", "-", "-o", dir.resolve("partial.bin").toString(), explicitUrl("/DEST/data/report.bin"));
    assertThat(r.ok()).as(r.output()).isTrue();
    assertThat(FtpTestPortal.sha256(Files.readAllBytes(dir.resolve("partial.bin")))).isEqualTo(FtpTestPortal.sha256(t.report));
    // only the tail was read: not a complete download for the portal's accounting
    assertThat(t.portal.downloads.size()).isEqualTo(before);
  }

  @Test
  void curlWrongPasswordAndEscapesAreRefused() throws Exception {
    Cli.Result wrong = Cli.run(dir, Map.of(), List.of("curl", "-sS", "-k", "--ssl-reqd", "-u", FtpTestPortal.USER + ":nope",
        explicitUrl("/DEST/data/report.bin"), "-o", dir.resolve("x").toString()));
    assertThat(wrong.exitCode()).as(wrong.output()).isEqualTo(67); // CURLE_LOGIN_DENIED
    Cli.Result dots = curl("--ssl-reqd", "--path-as-is", "-o", dir.resolve("x").toString(), explicitUrl("/../../etc/passwd"));
    assertThat(dots.exitCode()).as(dots.output()).isEqualTo(9); // CURLE_REMOTE_ACCESS_DENIED: CWD .. refused
    Cli.Result abs = curl("--ssl-reqd", "-o", dir.resolve("x").toString(), explicitUrl("//etc/passwd"));
    assertThat(abs.ok()).as(abs.output()).isFalse();
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
  }

  private Cli.Result rclone(String... args) throws Exception {
    Cli.require("rclone");
    String obscured = Cli.run(dir, Map.of(), List.of("rclone", "obscure", t.password)).output().trim();
    Path conf = dir.resolve("rclone.conf");
    Files.writeString(conf, String.join("\n", "[portal]", "type = ftp", "host = 127.0.0.1", "port = " + t.server.port(),
        "user = " + FtpTestPortal.USER, "pass = " + obscured, "explicit_tls = true", "no_check_certificate = true", ""));
    List<String> cmd = new ArrayList<>(List.of("rclone", "--config", conf.toString(), "--low-level-retries", "1", "--retries", "1"));
    cmd.addAll(List.of(args));
    return Cli.run(dir, Map.of("HOME", dir.toString()), cmd);
  }

  @Test
  void rcloneExplicitFtpsListsWithMtimesCopiesUploadsDeletes() throws Exception {
    long mtime = Instant.parse("2024-01-02T03:04:05Z").toEpochMilli();
    try (PortalFs fs = t.portal.password(FtpTestPortal.USER, t.password, "test", new java.net.InetSocketAddress("127.0.0.1", 1))) {
      fs.setModified(FsPath.parse("/DEST/data/report.bin"), mtime);
    }
    Cli.Result lsl = rclone("lsl", "portal:DEST/data");
    assertThat(lsl.ok()).as(lsl.output()).isTrue();
    assertThat(lsl.output()).contains(t.report.length + " 2024-01-02 03:04:05").contains("report.bin");

    Cli.Result copy = rclone("copy", "portal:DEST/data", dir.resolve("copy").toString());
    assertThat(copy.ok()).as(copy.output()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("copy/report.bin"))).isEqualTo(t.report);

    byte[] up = FtpTestPortal.random(54_321);
    Files.write(dir.resolve("up.bin"), up);
    Cli.Result put = rclone("copyto", dir.resolve("up.bin").toString(), "portal:DEST/rclone/up.bin");
    assertThat(put.ok()).as(put.output()).isTrue();
    assertThat(t.portal.stored("/DEST/rclone/up.bin").content()).isEqualTo(up);
    Cli.Result back = rclone("copyto", "portal:DEST/rclone/up.bin", dir.resolve("back.bin").toString());
    assertThat(back.ok()).as(back.output()).isTrue();
    assertThat(Files.readAllBytes(dir.resolve("back.bin"))).isEqualTo(up);
    Cli.Result mkdir = rclone("mkdir", "portal:DEST/rclone/empty");
    assertThat(mkdir.ok()).as(mkdir.output()).isTrue();
    Cli.Result empty = rclone("lsf", "portal:DEST/rclone/empty");
    assertThat(empty.ok()).as(empty.output()).isTrue();
    Cli.Result rmdir = rclone("rmdir", "portal:DEST/rclone/empty");
    assertThat(rmdir.ok()).as(rmdir.output()).isTrue();
    Cli.Result del = rclone("deletefile", "portal:DEST/rclone/up.bin");
    assertThat(del.ok()).as(del.output()).isTrue();
    assertThat(t.portal.stored("/DEST/rclone/up.bin")).isNull();

    Cli.Result wrong = Cli.run(dir, Map.of("HOME", dir.toString()), List.of("rclone", "--config", dir.resolve("rclone.conf").toString(),
        "--low-level-retries", "1", "--retries", "1", "--ftp-pass", Cli.run(dir, Map.of(), List.of("rclone", "obscure", "nope")).output().trim(),
        "lsf", "portal:DEST"));
    assertThat(wrong.ok()).isFalse();
    assertThat(wrong.output()).contains("530");
  }

  @Test
  void rcloneCopiesTwoHundredSmallFiles() throws Exception {
    Cli.Result copy = rclone("copy", "--transfers", "8", "--checkers", "8", "portal:DEST/many", dir.resolve("many").toString());
    assertThat(copy.ok()).as(copy.output()).isTrue();
    for (int i = 0; i < 200; i++) {
      assertThat(Files.readString(dir.resolve(String.format("many/f%03d.txt", i)))).isEqualTo("file " + i + "\n");
    }
    Cli.Result check = rclone("check", "--size-only", "portal:DEST/many", dir.resolve("many").toString());
    assertThat(check.ok()).as(check.output()).isTrue();
  }
}
