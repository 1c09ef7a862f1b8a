package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.function.Executable;

/** The aws CLI and s3cmd against the portal's S3 API (path-style, SigV4). */
final class S3ClientScripts extends ClientScripts {
  S3ClientScripts(PortalMatrix matrix) {
    super(matrix);
  }

  private Run aws(String secret, String... args) throws Exception {
    Tools.require("/usr/bin/aws", "awscli");
    Path cfg = tmp.resolve("aws.cfg");
    if (!Files.exists(cfg)) Files.writeString(cfg, "[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n");
    Map<String, String> env = new HashMap<>();
    env.put("HOME", tmp.toString());
    env.put("AWS_CONFIG_FILE", cfg.toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    env.put("AWS_ACCESS_KEY_ID", accessKey);
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_PAGER", "");
    env.put("PYTHONWARNINGS", "ignore:Unverified HTTPS request");
    return run(env, null, cat(List.of("/usr/bin/aws", "--endpoint-url", "https://127.0.0.1:" + ports.get("s3"),
        "--no-verify-ssl", "--cli-read-timeout", "30", "--cli-connect-timeout", "10"), args));
  }

  DynamicNode aws() {
    Map<String, Executable> s = new LinkedHashMap<>();
    String key = "up/aws/deep/up.bin";
    s.put("login and list", () -> {
      assertThat(aws(secretKey, "s3", "ls").ok().out()).contains(DEST).doesNotContain(HIDDEN);
      assertThat(aws(secretKey, "s3", "ls", "s3://" + DEST + "/").ok().out()).contains("aws.bin");
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("aws-got.bin");
      aws(secretKey, "s3", "cp", "s3://" + DEST + "/aws.bin", local.toString()).ok();
      downloaded("aws", local, "s3");
    });
    s.put("upload (a nested key), read back, delete", () -> {
      Path up = upload("aws");
      Path back = tmp.resolve("aws-back.bin");
      aws(secretKey, "s3", "cp", up.toString(), "s3://" + DEST + "/" + key).ok();
      aws(secretKey, "s3", "cp", "s3://" + DEST + "/" + key, back.toString()).ok();
      sameContent(back, up);
      aws(secretKey, "s3", "rm", "s3://" + DEST + "/" + key).ok();
      assertThat(aws(secretKey, "s3", "ls", "--recursive", "s3://" + DEST + "/").ok().out()).doesNotContain(key);
    });
    s.put("wrong secret refused", () -> assertThat(aws("x".repeat(40), "s3", "ls", "s3://" + DEST + "/").failed().all())
        .contains("SignatureDoesNotMatch"));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String k : List.of("../" + HIDDEN + "/secret.bin", "/etc/passwd", "../../etc/passwd", "a/../../" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("aws-escape-" + i++);
        Run r = aws(secretKey, "s3api", "get-object", "--bucket", DEST, "--key", k, local.toString()).failed();
        // a path that climbs above the root ("/MATRIX/../../etc") is refused by Jetty (400) before the S3 handler
        if (!k.startsWith("../..")) assertThat(r.all()).as(r.describe()).contains("InvalidArgument");
        leakedNothing(r, local);
      }
      Path local = tmp.resolve("aws-escape-hidden");
      Run r = aws(secretKey, "s3", "cp", "s3://" + HIDDEN + "/secret.bin", local.toString()).failed();
      leakedNothing(r, local);
      Run put = aws(secretKey, "s3api", "put-object", "--bucket", DEST, "--key", "../" + HIDDEN + "/planted.bin", "--body",
          "/etc/hostname").failed();
      assertThat(put.all()).contains("InvalidArgument");
    });
    return client("aws CLI s3", s);
  }

  private Run s3cmd(String secret, String... args) throws Exception {
    Tools.require("s3cmd", "s3cmd");
    String host = "127.0.0.1:" + ports.get("s3");
    return run(Map.of("HOME", tmp.toString()), null, cat(List.of("s3cmd", "-c", "/dev/null", "--access_key=" + accessKey,
        "--secret_key=" + secret, "--host=" + host, "--host-bucket=" + host, "--ssl", "--no-check-certificate",
        "--region=us-east-1"), args));
  }

  DynamicNode s3cmd() {
    Map<String, Executable> s = new LinkedHashMap<>();
    String key = "up/s3cmd/deep/up.bin";
    s.put("login and list", () -> {
      assertThat(s3cmd(secretKey, "ls").ok().out()).contains("s3://" + DEST).doesNotContain(HIDDEN);
      assertThat(s3cmd(secretKey, "ls", "s3://" + DEST + "/").ok().out()).contains("s3cmd.bin");
    });
    s.put("download (sha256)", () -> {
      Path local = tmp.resolve("s3cmd-got.bin");
      s3cmd(secretKey, "get", "--force", "s3://" + DEST + "/s3cmd.bin", local.toString()).ok();
      downloaded("s3cmd", local, "s3");
    });
    s.put("upload (a nested key), read back, delete", () -> {
      Path up = upload("s3cmd");
      Path back = tmp.resolve("s3cmd-back.bin");
      s3cmd(secretKey, "put", up.toString(), "s3://" + DEST + "/" + key).ok();
      s3cmd(secretKey, "get", "--force", "s3://" + DEST + "/" + key, back.toString()).ok();
      sameContent(back, up);
      s3cmd(secretKey, "del", "s3://" + DEST + "/" + key).ok();
      assertThat(s3cmd(secretKey, "ls", "--recursive", "s3://" + DEST + "/").ok().out()).doesNotContain(key);
    });
    s.put("wrong secret refused", () -> assertThat(s3cmd("x".repeat(40), "ls", "s3://" + DEST + "/").failed().all())
        .contains("SignatureDoesNotMatch"));
    s.put("escapes refused", () -> {
      int i = 0;
      for (String url : List.of("s3://" + DEST + "/../" + HIDDEN + "/secret.bin", "s3://" + DEST + "/../../etc/passwd",
          "s3://" + HIDDEN + "/secret.bin")) {
        Path local = tmp.resolve("s3cmd-escape-" + i++);
        Run r = s3cmd(secretKey, "get", "--force", url, local.toString()).failed();
        leakedNothing(r, local);
      }
    });
    return client("s3cmd", s);
  }
}
