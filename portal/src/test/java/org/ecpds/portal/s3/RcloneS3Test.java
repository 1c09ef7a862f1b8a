package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** rclone's s3 backend (provider Other) against the portal's S3 server, with and without no_check_bucket. */
class RcloneS3Test {
  private static S3TestBed bed;
  private static String rclone;

  @BeforeAll
  static void start() throws Exception {
    rclone = Tools.require("rclone", "rclone").toString();
    bed = new S3TestBed();
    for (boolean noCheck : new boolean[] {true, false}) {
      Files.writeString(bed.dir.resolve("rclone-" + noCheck + ".conf"), "[p]\ntype = s3\nprovider = Other\n"
          + "access_key_id = " + S3TestBed.ALICE_KEY + "\nsecret_access_key = " + bed.aliceSecret + "\n"
          + "endpoint = " + bed.endpoint() + "\nregion = us-east-1\nforce_path_style = true\nno_check_bucket = " + noCheck + "\n"
          + "[wrong]\ntype = s3\nprovider = Other\naccess_key_id = " + S3TestBed.ALICE_KEY + "\nsecret_access_key = not-the-secret\n"
          + "endpoint = " + bed.endpoint() + "\nregion = us-east-1\nforce_path_style = true\n");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) bed.close();
  }

  private S3TestBed.Result rclone(boolean noCheckBucket, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(rclone, "--config", bed.dir.resolve("rclone-" + noCheckBucket + ".conf").toString(),
        "--ca-cert", bed.caFile.toString(), "--low-level-retries", "1", "--retries", "1"));
    cmd.addAll(Arrays.asList(args));
    Map<String, String> env = new HashMap<>();
    env.put("HOME", bed.dir.toString());
    // rclone 1.60 fails on any AWS_CA_BUNDLE in its environment; the tests' own CI may set one
    env.put("AWS_CA_BUNDLE", "");
    return bed.run(env, cmd);
  }

  private S3TestBed.Result ok(S3TestBed.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r;
  }

  @ParameterizedTest(name = "no_check_bucket={0}")
  @ValueSource(booleans = {true, false})
  void copiesBothWaysListsAndDeletes(boolean noCheck) throws Exception {
    String d = "rc" + noCheck;
    byte[] content = Files.readAllBytes(bed.file(d + "-dl.bin", 3 * 1024 * 1024 + 9, 21));
    bed.portal.file("/DATA/" + d + "/dl.bin", content);
    assertThat(ok(rclone(noCheck, "lsd", "p:")).output()).contains("DATA").contains("READONLY").doesNotContain("OTHER");
    assertThat(ok(rclone(noCheck, "ls", "p:DATA/" + d)).output()).contains("dl.bin");

    Path out = bed.dir.resolve(d + "-out.bin");
    ok(rclone(noCheck, "copyto", "p:DATA/" + d + "/dl.bin", out.toString()));
    assertThat(S3TestBed.sha256(out)).isEqualTo(S3TestBed.sha256(content));
    assertThat(bed.portal.downloads).contains(new MemoryPortal.Download("alice", "s3", FsPath.parse("/DATA/" + d + "/dl.bin")));

    Path small = bed.file(d + "-up.bin", 200_000, 22);
    java.nio.file.Files.setLastModifiedTime(small, java.nio.file.attribute.FileTime.fromMillis(1_500_000_000_000L));
    ok(rclone(noCheck, "copyto", small.toString(), "p:DATA/" + d + "/up/small.bin"));
    assertThat(bed.portal.stored("/DATA/" + d + "/up/small.bin").modifiedMillis()).as("rclone's x-amz-meta-mtime is kept")
        .isEqualTo(1_500_000_000_000L);
    assertThat(S3TestBed.sha256(bed.portal.stored("/DATA/" + d + "/up/small.bin").content())).isEqualTo(S3TestBed.sha256(small));
    Path big = bed.file(d + "-big.bin", 12 * 1024 * 1024 + 3, 23);
    java.nio.file.Files.setLastModifiedTime(big, java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
    ok(rclone(noCheck, "copyto", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M", big.toString(), "p:DATA/" + d + "/up/big.bin"));
    assertThat(S3TestBed.sha256(bed.portal.stored("/DATA/" + d + "/up/big.bin").content())).isEqualTo(S3TestBed.sha256(big));
    assertThat(bed.portal.stored("/DATA/" + d + "/up/big.bin").modifiedMillis()).isEqualTo(1_600_000_000_000L);
    // nothing changed: a second copy transfers nothing
    assertThat(ok(rclone(noCheck, "copyto", "-v", small.toString(), "p:DATA/" + d + "/up/small.bin")).output()).doesNotContain("Copied");
    Path back = bed.dir.resolve(d + "-back.bin");
    ok(rclone(noCheck, "copyto", "p:DATA/" + d + "/up/big.bin", back.toString()));
    assertThat(S3TestBed.sha256(back)).isEqualTo(S3TestBed.sha256(big));
    assertThat(ok(rclone(noCheck, "lsf", "-R", "p:DATA/" + d)).output()).contains("up/big.bin", "up/small.bin", "dl.bin");

    ok(rclone(noCheck, "deletefile", "p:DATA/" + d + "/up/small.bin"));
    ok(rclone(noCheck, "delete", "p:DATA/" + d + "/up"));
    assertThat(bed.portal.stored("/DATA/" + d + "/up/small.bin")).isNull();
    assertThat(bed.portal.stored("/DATA/" + d + "/up/big.bin")).isNull();
  }

  @Test
  void wrongSecretIsRefused() throws Exception {
    S3TestBed.Result r = rclone(true, "ls", "wrong:DATA");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("SignatureDoesNotMatch");
  }

  @Test
  void keysThatTryToLeaveTheBucketAreRefused() throws Exception {
    S3TestBed.Result r = rclone(true, "cat", "p:DATA/../OTHER/secret.txt");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).doesNotContain("bob's only");
    Path src = bed.file("rc-escape.bin", 10, 24);
    rclone(true, "copyto", src.toString(), "p:DATA/%2e%2e/OTHER/planted.txt");
    assertThat(bed.portal.stored("/OTHER/planted.txt")).isNull();
  }
}
