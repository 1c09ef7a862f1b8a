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

/** cadaver (WebDAV) over the portal's HTTPS, driven through script(1) for its terminal prompts. */
final class CadaverScripts extends ClientScripts {
  CadaverScripts(PortalMatrix matrix) {
    super(matrix);
  }

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

  DynamicNode cadaver() {
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
