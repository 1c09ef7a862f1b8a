package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpException;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;

/** OpenSSH's sftp and scp (SFTP mode and legacy {@code -O}) through the portal, with MINA's client for the requests OpenSSH cannot send. */
final class SshClientScripts extends ClientScripts {
  SshClientScripts(PortalMatrix matrix) {
    super(matrix);
  }

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

  DynamicNode sftp() {
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

  DynamicNode scp(boolean legacy) {
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
}
