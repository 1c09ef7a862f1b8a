package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ecpds.portal.fs.FsPath;
import org.ecpds.portal.fs.MemoryPortal;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** s3cmd 2.3 (Debian) against the portal's S3 server: ls, put (single and multipart), get, del. */
class S3cmdS3Test {
  private static S3TestBed bed;
  private static String s3cmd;

  @BeforeAll
  static void start() throws Exception {
    s3cmd = Tools.require("s3cmd", "s3cmd").toString();
    bed = new S3TestBed();
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) bed.close();
  }

  private S3TestBed.Result s3cmd(String secret, String... args) throws Exception {
    String host = "127.0.0.1:" + bed.server.port();
    List<String> cmd = new ArrayList<>(List.of(s3cmd, "-c", "/dev/null", "--access_key=" + S3TestBed.ALICE_KEY,
        "--secret_key=" + secret, "--host=" + host, "--host-bucket=" + host, "--ssl", "--no-check-certificate",
        "--region=us-east-1", "--multipart-chunk-size-mb=5"));
    cmd.addAll(Arrays.asList(args));
    return bed.run(Map.of("HOME", bed.dir.toString()), cmd);
  }

  private S3TestBed.Result ok(S3TestBed.Result r) {
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r;
  }

  @Test
  void listsGetsPutsAndDeletes() throws Exception {
    byte[] content = Files.readAllBytes(bed.file("s3cmd-dl.bin", 2 * 1024 * 1024 + 1, 11));
    bed.portal.file("/DATA/s3cmd/dl.bin", content);
    assertThat(ok(s3cmd(bed.aliceSecret, "ls")).output()).contains("s3://DATA").contains("s3://READONLY").doesNotContain("OTHER");
    assertThat(ok(s3cmd(bed.aliceSecret, "ls", "s3://DATA/s3cmd/")).output()).contains("s3://DATA/s3cmd/dl.bin");

    Path out = bed.dir.resolve("s3cmd-out.bin");
    ok(s3cmd(bed.aliceSecret, "get", "--force", "s3://DATA/s3cmd/dl.bin", out.toString()));
    assertThat(S3TestBed.sha256(out)).isEqualTo(S3TestBed.sha256(content));
    assertThat(bed.portal.downloads).contains(new MemoryPortal.Download("alice", "s3", FsPath.parse("/DATA/s3cmd/dl.bin")));

    Path small = bed.file("s3cmd-up.bin", 100_000, 12);
    ok(s3cmd(bed.aliceSecret, "put", small.toString(), "s3://DATA/s3cmd/up/small.bin"));
    assertThat(S3TestBed.sha256(bed.portal.stored("/DATA/s3cmd/up/small.bin").content())).isEqualTo(S3TestBed.sha256(small));
    Path big = bed.file("s3cmd-big.bin", 12 * 1024 * 1024 + 7, 13);
    ok(s3cmd(bed.aliceSecret, "put", big.toString(), "s3://DATA/s3cmd/up/big.bin"));
    assertThat(S3TestBed.sha256(bed.portal.stored("/DATA/s3cmd/up/big.bin").content())).isEqualTo(S3TestBed.sha256(big));
    Path back = bed.dir.resolve("s3cmd-back.bin");
    ok(s3cmd(bed.aliceSecret, "get", "--force", "s3://DATA/s3cmd/up/big.bin", back.toString()));
    assertThat(S3TestBed.sha256(back)).isEqualTo(S3TestBed.sha256(big));

    ok(s3cmd(bed.aliceSecret, "del", "s3://DATA/s3cmd/up/small.bin", "s3://DATA/s3cmd/up/big.bin"));
    assertThat(bed.portal.stored("/DATA/s3cmd/up/small.bin")).isNull();
    assertThat(bed.portal.stored("/DATA/s3cmd/up/big.bin")).isNull();
  }

  @Test
  void wrongSecretIsRefused() throws Exception {
    S3TestBed.Result r = s3cmd(bed.aliceSecret + "x", "ls", "s3://DATA/");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("SignatureDoesNotMatch");
  }

  @Test
  void keysThatTryToLeaveTheBucketAreRefused() throws Exception {
    Path out = bed.dir.resolve("s3cmd-escape.bin");
    S3TestBed.Result r = s3cmd(bed.aliceSecret, "get", "--force", "s3://DATA/../OTHER/secret.txt", out.toString());
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).containsAnyOf("InvalidArgument", "400");
    assertThat(Files.exists(out) ? Files.readString(out) : "").doesNotContain("bob's only");
    Path src = bed.file("s3cmd-escape-up.bin", 10, 14);
    S3TestBed.Result up = s3cmd(bed.aliceSecret, "put", src.toString(), "s3://DATA/%2e%2e/OTHER/planted.txt");
    assertThat(bed.portal.stored("/OTHER/planted.txt")).as(up.output()).isNull();
  }
}
