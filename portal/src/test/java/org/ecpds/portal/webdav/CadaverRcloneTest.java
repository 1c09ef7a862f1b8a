package org.ecpds.portal.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.https.HttpsPortalFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebDAV with the clients users have: cadaver (interactive, driven under script) and rclone's webdav backend. */
class CadaverRcloneTest {
  @TempDir Path dir;
  HttpsPortalFixture f;
  final byte[] content = HttpsPortalFixture.random(1_500_000, 3);

  @BeforeEach
  void start() throws Exception {
    f = new HttpsPortalFixture(dir);
    f.portal.file("/DEST/in/report.bin", content);
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  @Test
  void cadaverListsGetsPutsLocksMovesAndDeletes() throws Exception {
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve(".netrc"), "machine 127.0.0.1 login " + HttpsPortalFixture.USER + " password " + f.password + "\n");
    Files.setPosixFilePermissions(home.resolve(".netrc"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    byte[] up = HttpsPortalFixture.random(700_000, 9);
    Files.write(dir.resolve("local.bin"), up);
    String commands = String.join("\n", "y", "ls in", "get in/report.bin got.bin", "mkcol out", "put local.bin out/up.bin",
        "lock out/up.bin", "discover out/up.bin", "unlock out/up.bin", "propset out/up.bin colour blue", "propget out/up.bin colour",
        "copy out/up.bin out/copy.bin", "move out/copy.bin out/moved.bin", "ls out", "delete out/up.bin", "quit", "");
    // cadaver asks about the self-signed certificate on its terminal: script gives it one, fed from our stdin
    var r = f.run(Map.of("HOME", home.toString(), "TERM", "dumb"), commands, "script", "-qec",
        "cadaver " + f.url("/DEST/"), "/dev/null");
    String out = r.output();
    assertThat(out).as(out).contains("report.bin").contains("1500000");
    assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(dir.resolve("got.bin")))).isEqualTo(HttpsPortalFixture.sha256(content));
    assertThat(f.portal.downloads).anyMatch(d -> d.path().toString().equals("/DEST/in/report.bin"));
    assertThat(out).contains("colour").contains("blue");
    assertThat(out).containsPattern("(?i)lock token");
    assertThat(f.portal.stored("/DEST/out/moved.bin").content()).isEqualTo(up);
    assertThat(f.portal.stored("/DEST/out/copy.bin")).isNull();
    assertThat(f.portal.stored("/DEST/out/up.bin")).isNull();
    assertThat(out).doesNotContainIgnoringCase("failed:");
  }

  @Test
  void rcloneWebdavListsCopiesBothWaysAndMoves() throws Exception {
    Path config = dir.resolve("rclone.conf");
    var obscured = f.run("rclone", "obscure", f.password);
    assertThat(obscured.exit()).isZero();
    Files.writeString(config, "[portal]\ntype = webdav\nurl = " + f.url("/DEST") + "\nvendor = other\nuser = "
        + HttpsPortalFixture.USER + "\npass = " + obscured.output().trim() + "\n");
    Map<String, String> env = Map.of("RCLONE_CONFIG", config.toString(), "SSL_CERT_FILE", f.certificate.toString());
    var ls = f.run(env, null, "rclone", "lsl", "portal:in");
    assertThat(ls.output()).as(ls.output()).contains("1500000").contains("report.bin");

    Path down = dir.resolve("down");
    var get = f.run(env, null, "rclone", "copy", "portal:in", down.toString());
    assertThat(get.exit()).as(get.output()).isZero();
    assertThat(HttpsPortalFixture.sha256(Files.readAllBytes(down.resolve("report.bin")))).isEqualTo(HttpsPortalFixture.sha256(content));
    assertThat(f.portal.downloads).anyMatch(d -> d.path().toString().equals("/DEST/in/report.bin") && d.protocol().equals("webdav"));

    Path upDir = Files.createDirectories(dir.resolve("up/sub"));
    byte[] a = HttpsPortalFixture.random(1_200_000, 5);
    Files.write(upDir.resolve("a.bin"), a);
    Files.write(dir.resolve("up/b.txt"), "hello\n".getBytes());
    var put = f.run(env, null, "rclone", "copy", dir.resolve("up").toString(), "portal:pushed");
    assertThat(put.exit()).as(put.output()).isZero();
    assertThat(f.portal.stored("/DEST/pushed/sub/a.bin").content()).isEqualTo(a);
    assertThat(f.portal.stored("/DEST/pushed/b.txt").content()).isEqualTo("hello\n".getBytes());

    var move = f.run(env, null, "rclone", "moveto", "portal:pushed/sub/a.bin", "portal:pushed/renamed.bin");
    assertThat(move.exit()).as(move.output()).isZero();
    assertThat(f.portal.stored("/DEST/pushed/renamed.bin").content()).isEqualTo(a);
    assertThat(f.portal.stored("/DEST/pushed/sub/a.bin")).isNull();
    var check = f.run(env, null, "rclone", "lsf", "-R", "portal:pushed");
    assertThat(check.output().lines().toList()).as(check.output()).contains("b.txt", "renamed.bin");
    assertThat(FsPath.parse("/DEST/pushed/renamed.bin")).isNotNull();
  }
}
