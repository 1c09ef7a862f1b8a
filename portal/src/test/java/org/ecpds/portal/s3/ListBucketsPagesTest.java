package org.ecpds.portal.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ListBuckets paged as AWS pages it (max-buckets, continuation-token, prefix), signed by curl's own SigV4;
 * and a request Jetty refuses before the S3 code runs still gets its DEA line.
 */
class ListBucketsPagesTest {
  private static S3TestBed bed;
  private static String curl;

  @BeforeAll
  static void start() throws Exception {
    curl = Tools.require("curl", "curl").toString();
    bed = new S3TestBed();
    bed.portal.grant("alice", "ALPHA").grant("alice", "BETA");
  }

  @AfterAll
  static void stop() throws Exception {
    if (bed != null) bed.close();
  }

  private String get(String query) throws Exception {
    S3TestBed.Result r = bed.run(Map.of(), List.of(curl, "-sS", "--cacert", bed.caFile.toString(),
        "--aws-sigv4", "aws:amz:us-east-1:s3", "-u", S3TestBed.ALICE_KEY + ":" + bed.aliceSecret,
        "-w", "\nHTTP %{http_code}", bed.endpoint() + "/" + query));
    assertEquals(0, r.exitCode(), r.output());
    return r.output();
  }

  private static List<String> all(String xml, String element) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<" + element + ">([^<]*)</" + element + ">").matcher(xml);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  @Test
  void pagesFollowEachOtherWithTheContinuationToken() throws Exception {
    String first = get("?max-buckets=2");
    assertTrue(first.endsWith("HTTP 200"), first);
    assertEquals(List.of("ALPHA", "BETA"), all(first, "Name"));
    String token = all(first, "ContinuationToken").get(0);
    // in sorted order: curl 7.88 signs the query string as written instead of sorting it as SigV4 requires
    String second = get("?continuation-token=" + token + "&max-buckets=2");
    assertEquals(List.of("DATA", "READONLY"), all(second, "Name"), second);
    assertFalse(second.contains("<ContinuationToken>"), second); // the last page
  }

  @Test
  void withoutLimitsEveryVisibleBucketInOnePage() throws Exception {
    String all = get("");
    assertEquals(List.of("ALPHA", "BETA", "DATA", "READONLY"), all(all, "Name")); // not bob's OTHER
    assertFalse(all.contains("<ContinuationToken>"), all);
  }

  @Test
  void aPrefixSelectsAndIsEchoed() throws Exception {
    String r = get("?prefix=RE");
    assertEquals(List.of("READONLY"), all(r, "Name"));
    assertEquals(List.of("RE"), all(r, "Prefix"));
  }

  @Test
  void headersOverTheCapAre431WithADeaLine() throws Exception {
    try (EventLines events = new EventLines()) {
      S3TestBed.Result r = bed.run(Map.of(), List.of(curl, "-sS", "--cacert", bed.caFile.toString(), "-o", "/dev/null",
          "-w", "%{http_code}", "-H", "X-Padding: " + "p".repeat(20_000), bed.endpoint() + "/"));
      assertEquals("431", r.output());
      events.await(l -> l.startsWith("DEA;") && l.contains("(431)") && l.contains("s3,mover-test,127.0.0.1"),
          Duration.ofSeconds(10));
    }
  }

  @Test
  void badPageSizesAndTokensAreRefusedAsS3Does() throws Exception {
    for (String q : List.of("?max-buckets=0", "?max-buckets=10001", "?max-buckets=x", "?continuation-token=%25%25")) {
      String r = get(q);
      assertTrue(r.endsWith("HTTP 400"), q + ": " + r);
      assertEquals(List.of("InvalidArgument"), all(r, "Code"), q);
    }
  }
}
