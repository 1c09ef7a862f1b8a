package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;

/** rclone's sftp, ftp, webdav and s3 backends over the portal (one configuration file, written on first use). */
final class RcloneScripts extends ClientScripts {
  private Path rcloneConfig;

  RcloneScripts(PortalMatrix matrix) {
    super(matrix);
  }

  private Path writeRcloneConfig() throws Exception {
    Tools.require("rclone", "rclone");
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
    if (rcloneConfig == null) rcloneConfig = writeRcloneConfig();
    // rclone 1.60 fails on any AWS_CA_BUNDLE in its environment
    return run(Map.of("HOME", tmp.toString(), "AWS_CA_BUNDLE", ""), null, cat(List.of("rclone", "--config",
        rcloneConfig.toString(), "--no-check-certificate", "--retries", "1", "--low-level-retries", "1",
        "--contimeout", "10s", "--timeout", "30s"), args));
  }

  DynamicNode rclone(String backend, String protocol) {
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
}
