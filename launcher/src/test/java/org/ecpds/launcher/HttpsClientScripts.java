package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;

/** curl and wget over the portal's HTTPS: listing, ranges and resume, PUT and DELETE. */
final class HttpsClientScripts extends ClientScripts {
  HttpsClientScripts(PortalMatrix matrix) {
    super(matrix);
  }

  private Run curl(String password, String... args) throws Exception {
    Tools.require("curl", "curl");
    return run(cat(List.of("curl", "-sS", "--fail", "-k", "--max-time", "50", "-u", USER + ":" + password), args));
  }

  DynamicNode curl() {
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> {
      assertThat(curl(PASSWORD, "-H", "Accept: application/json", https("/")).ok().out()).contains(DEST).doesNotContain(HIDDEN);
      assertThat(curl(PASSWORD, "-H", "Accept: application/json", https("/" + DEST + "/")).ok().out()).contains("curl.bin");
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("curl-got.bin");
      curl(PASSWORD, "-o", local.toString(), https("/" + DEST + "/curl.bin")).ok();
      downloaded("curl", local, "https");
    });
    s.put("ranges", () -> {
      Path whole = tmp.resolve("curl-got.bin");
      byte[] all = Files.readAllBytes(whole);
      Path part = tmp.resolve("curl-range.bin");
      curl(PASSWORD, "-r", "1000-1999", "-o", part.toString(), https("/" + DEST + "/curl.bin")).ok();
      assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(all, 1000, 2000));
      curl(PASSWORD, "-r", "-777", "-o", part.toString(), https("/" + DEST + "/curl.bin")).ok();
      assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOfRange(all, all.length - 777, all.length));
      Path resumed = tmp.resolve("curl-resumed.bin");
      Files.write(resumed, Arrays.copyOf(all, 300_000));
      curl(PASSWORD, "-C", "-", "-o", resumed.toString(), https("/" + DEST + "/curl.bin")).ok();
      assertThat(StandaloneEndToEndTest.sha256(resumed)).isEqualTo(matrix.sha256Of("curl"));
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload("curl");
      Path back = tmp.resolve("curl-back.bin");
      String url = https("/" + DEST + "/up-curl.bin");
      curl(PASSWORD, "-T", up.toString(), url).ok();
      curl(PASSWORD, "-o", back.toString(), url).ok();
      sameContent(back, up);
      curl(PASSWORD, "-X", "DELETE", url).ok();
      assertThat(listing(DEST)).doesNotContain("up-curl.bin");
    });
    s.put("wrong password refused", () -> assertThat(curl(WRONG, "-o", tmp.resolve("curl-wrong").toString(),
        https("/" + DEST + "/curl.bin")).failed().err()).contains("401"));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String path : List.of("/" + DEST + "/../../etc/passwd", "/" + DEST + "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
          "/" + HIDDEN + "/secret.bin", "/" + DEST + "/..%2F" + HIDDEN + "/secret.bin", "/%2e%2e/" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("curl-escape-" + i++);
        Run r = curl(PASSWORD, "--path-as-is", "-o", local.toString(), https(path)).failed();
        leakedNothing(r, local);
      }
      Path up = upload("curl-escape");
      curl(PASSWORD, "--path-as-is", "-T", up.toString(), https("/" + DEST + "/../" + HIDDEN + "/planted.bin")).failed();
      assertThat(admin.call("GET", "datafile?destination=" + HIDDEN, null).get("datafiles")).hasSize(1);
    });
    return client("curl https", s);
  }

  private Run wget(String password, String... args) throws Exception {
    Tools.require("wget", "wget");
    return run(Map.of("HOME", tmp.toString()), null, cat(List.of("wget", "-q", "--no-check-certificate", "--tries=1",
        "--timeout=30", "--auth-no-challenge", "--user=" + USER, "--password=" + password), args));
  }

  DynamicNode wget() {
    Map<String, Executable> s = new LinkedHashMap<>();
    s.put("login and list", () -> assertThat(wget(PASSWORD, "--header=Accept: application/json", "-O", "-",
        https("/" + DEST + "/")).ok().out()).contains("wget.bin"));
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("wget-got.bin");
      wget(PASSWORD, "-O", local.toString(), https("/" + DEST + "/wget.bin")).ok();
      downloaded("wget", local, "https");
    });
    s.put("ranges (resume with -c)", () -> {
      byte[] all = Files.readAllBytes(tmp.resolve("wget-got.bin"));
      Path dir = Files.createDirectories(tmp.resolve("wget-resume"));
      Files.write(dir.resolve("wget.bin"), Arrays.copyOf(all, 400_000));
      Run r = wget(PASSWORD, "-S", "-c", "-P", dir.toString(), https("/" + DEST + "/wget.bin")).ok();
      assertThat(r.all()).contains("206");
      assertThat(StandaloneEndToEndTest.sha256(dir.resolve("wget.bin"))).isEqualTo(matrix.sha256Of("wget"));
    });
    s.put("upload, read back, delete", () -> {
      Path up = upload("wget");
      Path back = tmp.resolve("wget-back.bin");
      String url = https("/" + DEST + "/up-wget.bin");
      wget(PASSWORD, "--method=PUT", "--body-file=" + up, "-O", "/dev/null", url).ok();
      wget(PASSWORD, "-O", back.toString(), url).ok();
      sameContent(back, up);
      wget(PASSWORD, "--method=DELETE", "-O", "/dev/null", url).ok();
      assertThat(listing(DEST)).doesNotContain("up-wget.bin");
    });
    s.put("wrong password refused", () -> assertThat(wget(WRONG, "-O", tmp.resolve("wget-wrong").toString(),
        https("/" + DEST + "/wget.bin")).failed().exit()).isEqualTo(6));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String path : List.of("/" + DEST + "/../../etc/passwd", "/" + DEST + "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
          "/" + HIDDEN + "/secret.bin", "/" + DEST + "/..%2F" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("wget-escape-" + i++);
        Run r = wget(PASSWORD, "-O", local.toString(), https(path)).failed();
        leakedNothing(r, local);
      }
    });
    return client("wget https", s);
  }
}
