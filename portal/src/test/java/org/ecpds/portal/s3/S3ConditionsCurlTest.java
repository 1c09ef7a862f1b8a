package org.ecpds.portal.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ecpds.testkit.Conditions;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * S3's conditional deletes (If-Match, x-amz-if-match-size, x-amz-if-match-last-modified-time; DeleteObjects'
 * ETag/Size), a conditional write that another writer overtakes, and UTF-8 metadata, through curl's own
 * SigV4 signing against the portal's S3 server.
 */
class S3ConditionsCurlTest {
  private static final String UNSIGNED = "x-amz-content-sha256: UNSIGNED-PAYLOAD";
  private static S3TestBed bed;
  private static String curl;

  @BeforeAll
  static void start() throws Exception {
    curl = Tools.require("curl", "curl").toString();
    bed = new S3TestBed();
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) bed.close();
  }

  private static List<String> curl(String... args) {
    List<String> cmd = new ArrayList<>(List.of(curl, "-sS", "--cacert", bed.caFile.toString(), "--aws-sigv4",
        "aws:amz:us-east-1:s3", "-u", S3TestBed.ALICE_KEY + ":" + bed.aliceSecret, "-w", "\nHTTP %{http_code}"));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  private static String run(String... args) throws Exception {
    S3TestBed.Result r = bed.run(Map.of(), curl(args));
    assertThat(r.exitCode()).as(r.output()).isZero();
    return r.output();
  }

  private static String url(String key) {
    return bed.endpoint() + "/DATA/" + key;
  }

  private static String put(String key, byte[] content, String... headers) throws Exception {
    Path body = Files.write(bed.dir.resolve("body-" + System.nanoTime()), content);
    List<String> args = new ArrayList<>(List.of("-T", body.toString(), "-H", UNSIGNED, "-D", "-"));
    for (String h : headers) args.addAll(List.of("-H", h));
    args.add(url(key));
    return run(args.toArray(String[]::new));
  }

  private static String etag(String headers) {
    Matcher m = Pattern.compile("(?im)^etag: *(\"[^\"]*\")").matcher(headers);
    assertThat(m.find()).as(headers).isTrue();
    return m.group(1);
  }

  private static String code(String reply) {
    Matcher m = Pattern.compile("<Code>([^<]*)</Code>").matcher(reply);
    return m.find() ? m.group(1) : null;
  }

  @Test
  void aConditionalDeleteRemovesOnlyTheObjectItNames() throws Exception {
    String etag = etag(put("cond/a.txt", "12345".getBytes(StandardCharsets.US_ASCII)));
    String lastModified = run("-I", url("cond/a.txt")).lines().filter(l -> l.toLowerCase().startsWith("last-modified:"))
        .findFirst().orElseThrow().substring("last-modified:".length()).trim();

    for (String wrong : List.of("If-Match: \"0123456789abcdef0123456789abcdef\"", "x-amz-if-match-size: 6",
        "x-amz-if-match-last-modified-time: Thu, 01 Jan 2015 00:00:00 GMT")) {
      String r = run("-X", "DELETE", "-H", wrong, url("cond/a.txt"));
      assertThat(r).as(wrong).endsWith("HTTP 412");
      assertThat(code(r)).isEqualTo("PreconditionFailed");
      assertThat(bed.portal.stored("/DATA/cond/a.txt").content()).as("still there after " + wrong).hasSize(5);
    }
    String r = run("-X", "DELETE", "-H", "If-Match: " + etag, "-H", "x-amz-if-match-size: 5",
        "-H", "x-amz-if-match-last-modified-time: " + lastModified, url("cond/a.txt"));
    assertThat(r).endsWith("HTTP 204");
    assertThat(bed.portal.files()).doesNotContain("/DATA/cond/a.txt");
    // an object that is not there is deleted whatever the condition, as S3 does
    assertThat(run("-X", "DELETE", "-H", "If-Match: " + etag, url("cond/a.txt"))).endsWith("HTTP 204");
  }

  @Test
  void deleteObjectsChecksEachObjectsConditions() throws Exception {
    String etag = etag(put("multi/a.txt", new byte[] {1, 2, 3}));
    put("multi/b.txt", new byte[] {4});
    String xml = "<Delete><Object><Key>multi/a.txt</Key><ETag>\"badbadbadbadbadbadbadbadbadbadba\"</ETag></Object>"
        + "<Object><Key>multi/b.txt</Key><Size>2</Size></Object></Delete>";
    String refused = postDelete(xml);
    assertThat(refused).endsWith("HTTP 200");
    assertThat(refused.split("<Code>PreconditionFailed</Code>", -1)).hasSize(3);
    assertThat(bed.portal.files()).contains("/DATA/multi/a.txt", "/DATA/multi/b.txt");

    String done = postDelete("<Delete><Object><Key>multi/a.txt</Key><ETag>" + etag + "</ETag></Object>"
        + "<Object><Key>multi/b.txt</Key><Size>1</Size></Object></Delete>");
    assertThat(done).contains("<Deleted><Key>multi/a.txt</Key></Deleted>").contains("<Deleted><Key>multi/b.txt</Key></Deleted>");
    assertThat(bed.portal.files()).doesNotContain("/DATA/multi/a.txt", "/DATA/multi/b.txt");
  }

  private static String postDelete(String xml) throws Exception {
    byte[] body = xml.getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(bed.dir.resolve("delete-" + System.nanoTime() + ".xml"), body);
    return run("-X", "POST", "--data-binary", "@" + file, "-H", "Content-Type: application/xml",
        "-H", "x-amz-content-sha256: " + S3TestBed.sha256(body), bed.endpoint() + "/DATA?delete="); // curl 7.88 signs a bare "?delete" wrongly
  }

  /**
   * If-Match is checked again just before the commit: a writer that replaced the object while this upload
   * was on its way makes it fail (412) instead of silently overwriting the newer content.
   */
  @Test
  void aConditionalPutOvertakenByAnotherWriterFails() throws Exception {
    String first = etag(put("race/obj.bin", "first".getBytes(StandardCharsets.US_ASCII)));
    Path out = bed.dir.resolve("slow.out");
    ProcessBuilder pb = new ProcessBuilder(curl("-T", "-", "-H", UNSIGNED, "-H", "If-Match: " + first, url("race/obj.bin")))
        .redirectErrorStream(true).redirectOutput(out.toFile());
    Process slow = pb.start();
    try (OutputStream body = slow.getOutputStream()) {
      body.write(new byte[64 * 1024]);
      body.flush();
      // the server has checked If-Match (the object was "first") and is writing the upload
      Conditions.await("the slow upload under way", Duration.ofSeconds(30),
          () -> bed.portal.uploading.getOrDefault("/DATA/race/obj.bin", 0L) > 0);
      put("race/obj.bin", "second".getBytes(StandardCharsets.US_ASCII));
      body.write(new byte[64 * 1024]);
    }
    assertThat(slow.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String reply = Files.readString(out);
    assertThat(reply).endsWith("HTTP 412");
    assertThat(code(reply)).isEqualTo("PreconditionFailed");
    assertThat(new String(bed.portal.stored("/DATA/race/obj.bin").content(), StandardCharsets.US_ASCII)).isEqualTo("second");
  }

  /** curl sends the header's UTF-8 bytes and signs them: the signature holds and the same bytes come back. */
  @Test
  void utf8MetadataIsSignedKeptAndReturnedAsSent() throws Exception {
    Path header = bed.dir.resolve("meta-header.txt");
    Files.write(header, "x-amz-meta-city: São Paulo\n".getBytes(StandardCharsets.UTF_8));
    String r = put("meta/city.txt", new byte[] {1}, "@" + header);
    assertThat(r).endsWith("HTTP 200");
    assertThat(bed.portal.stored("/DATA/meta/city.txt").metadata()).containsEntry("city", "São Paulo");
    Path headers = bed.dir.resolve("meta-reply.txt");
    run("-I", "-o", headers.toString(), url("meta/city.txt"));
    String reply = new String(Files.readAllBytes(headers), StandardCharsets.UTF_8);
    assertThat(reply).contains("x-amz-meta-city: São Paulo");
  }
}
