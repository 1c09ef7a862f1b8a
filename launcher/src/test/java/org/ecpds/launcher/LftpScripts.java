package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;

/** lftp over the portal's SFTP, plain FTP and explicit FTPS. */
final class LftpScripts extends ClientScripts {
  LftpScripts(PortalMatrix matrix) {
    super(matrix);
  }

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

  DynamicNode lftp(String protocol) {
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
}
