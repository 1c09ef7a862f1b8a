package org.ecpds.portal.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ecpds.portal.https.HttpsPortalFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebDAV edges litmus does not reach, driven with curl: limits, XML safety, escapes, locks across users. */
class WebDavProtocolTest {
  @TempDir Path dir;
  HttpsPortalFixture f;
  final String bobPassword = "bob-" + java.util.UUID.randomUUID();

  @BeforeEach
  void start() throws Exception {
    f = new HttpsPortalFixture(dir);
    f.portal.user("bob", bobPassword).grant("bob", "DEST").destination("OTHER").grant(HttpsPortalFixture.USER, "OTHER");
    f.portal.file("/DEST/a/file.txt", "hello".getBytes());
  }

  @AfterEach
  void stop() throws Exception {
    f.close();
  }

  /** curl with a method, headers and optional body file; returns "body\nSTATUS". */
  private HttpsPortalFixture.Result davAs(String user, String password, String method, String path, String body, String... headers)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", f.certificate.toString(), "-u", user + ":" + password,
        "-X", method, "-w", "\n%{http_code}"));
    for (String h : headers) cmd.addAll(List.of("-H", h));
    if (body != null) {
      Path b = Files.createTempFile(dir, "body", ".xml");
      Files.writeString(b, body);
      cmd.addAll(List.of("--data-binary", "@" + b));
    }
    cmd.add(f.url(path));
    return f.run(cmd.toArray(String[]::new));
  }

  private HttpsPortalFixture.Result dav(String method, String path, String body, String... headers) throws Exception {
    return davAs(HttpsPortalFixture.USER, f.password, method, path, body, headers);
  }

  private static String status(HttpsPortalFixture.Result r) {
    String out = r.output().trim();
    return out.substring(out.length() - 3);
  }

  @Test
  void propfindDepthIsFiniteAndListsTheRootsDestinations() throws Exception {
    var r = dav("PROPFIND", "/DEST/", null, "Depth: infinity");
    assertThat(status(r)).isEqualTo("403");
    assertThat(r.output()).contains("<D:propfind-finite-depth/>");
    assertThat(status(dav("PROPFIND", "/DEST/", null))).isEqualTo("403");
    r = dav("PROPFIND", "/", null, "Depth: 1");
    assertThat(status(r)).isEqualTo("207");
    assertThat(r.output()).contains("<D:href>/DEST/</D:href>").contains("<D:href>/OTHER/</D:href>").contains("<D:href>/RO/</D:href>");
    r = dav("PROPFIND", "/DEST/a/", "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:getcontentlength/><x:none xmlns:x=\"urn:x\"/></D:prop></D:propfind>",
        "Depth: 1");
    assertThat(r.output()).contains("<D:href>/DEST/a/file.txt</D:href>").contains("<D:getcontentlength>5</D:getcontentlength>")
        .contains("<none xmlns=\"urn:x\"/>").contains("HTTP/1.1 404 Not Found");
  }

  @Test
  void xmlBodiesWithEntitiesOrTooLargeAreRefused() throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET");
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file://" + secret + "\">]>"
        + "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x:p xmlns:x=\"urn:x\">&e;</x:p></D:prop></D:set></D:propertyupdate>";
    var r = dav("PROPPATCH", "/DEST/a/file.txt", xxe);
    assertThat(status(r)).isEqualTo("400");
    r = dav("PROPFIND", "/DEST/a/file.txt", null, "Depth: 0");
    assertThat(r.output()).doesNotContain("TOP-SECRET");
    String big = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:allprop/>" + "<!-- x -->".repeat(120_000) + "</D:propfind>";
    assertThat(status(dav("PROPFIND", "/DEST/a/file.txt", big, "Depth: 0"))).isEqualTo("413");
  }

  @Test
  void mkcolStatusesFollowRfc4918() throws Exception {
    assertThat(status(dav("MKCOL", "/DEST/new/", null))).isEqualTo("201");
    assertThat(status(dav("MKCOL", "/DEST/new/", null))).isEqualTo("405");
    assertThat(status(dav("MKCOL", "/DEST/none/deeper/", null))).isEqualTo("409");
    var r = dav("MKCOL", "/DEST/withbody/", "<x/>", "Content-Type: text/xml");
    assertThat(status(r)).isEqualTo("415");
    assertThat(status(dav("MKCOL", "/RO/new/", null))).isEqualTo("403");
  }

  @Test
  void destinationsOutsideTheTreeAreRefused() throws Exception {
    for (String d : List.of(f.url("/DEST/../../etc/x"), f.url("/DEST/%2e%2e/%2e%2e/x"), "/DEST/a%2F..%2F..%2Fx", f.url("/%2e%2e/x"))) {
      var r = dav("COPY", "/DEST/a/file.txt", null, "Destination: " + d);
      assertThat(status(r)).as(d).isEqualTo("400");
    }
    assertThat(status(dav("MOVE", "/DEST/a/file.txt", null, "Destination: " + f.url("/OTHER/file.txt")))).isEqualTo("403");
    assertThat(f.portal.stored("/DEST/a/file.txt")).isNotNull();
  }

  @Test
  void aLockOfOneUserKeepsOthersOutAndOnlyItsOwnerUnlocks() throws Exception {
    String lockBody = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/></D:lockscope>"
        + "<D:locktype><D:write/></D:locktype><D:owner>bob &amp; co</D:owner></D:lockinfo>";
    var r = davAs("bob", bobPassword, "LOCK", "/DEST/a/file.txt", lockBody, "Timeout: Second-100", "Depth: 0");
    assertThat(status(r)).isEqualTo("200");
    assertThat(r.output()).contains("<D:owner>bob &amp; co</D:owner>").contains("<D:timeout>Second-");
    String token = r.output().replaceAll("(?s).*<D:locktoken><D:href>([^<]+)</D:href>.*", "$1");
    assertThat(token).startsWith("opaquelocktoken:");
    Path src = dir.resolve("x.txt");
    Files.writeString(src, "changed");
    // alice, even presenting bob's token, cannot write or unlock
    var put = f.run("curl", "-sS", "--cacert", f.certificate.toString(), "-u", HttpsPortalFixture.USER + ":" + f.password,
        "-H", "If: (<" + token + ">)", "-T", src.toString(), "-w", "\n%{http_code}", f.url("/DEST/a/file.txt"));
    assertThat(status(put)).isEqualTo("423");
    assertThat(status(dav("DELETE", "/DEST/a/file.txt", null))).isEqualTo("423");
    assertThat(status(dav("UNLOCK", "/DEST/a/file.txt", null, "Lock-Token: <" + token + ">"))).isEqualTo("403");
    assertThat(new String(f.portal.stored("/DEST/a/file.txt").content())).isEqualTo("hello");
    // bob writes with his token, then unlocks
    put = f.run("curl", "-sS", "--cacert", f.certificate.toString(), "-u", "bob:" + bobPassword,
        "-H", "If: (<" + token + ">)", "-T", src.toString(), "-w", "\n%{http_code}", f.url("/DEST/a/file.txt"));
    assertThat(status(put)).isEqualTo("204");
    assertThat(status(davAs("bob", bobPassword, "UNLOCK", "/DEST/a/file.txt", null, "Lock-Token: <" + token + ">"))).isEqualTo("204");
    assertThat(status(dav("DELETE", "/DEST/a/file.txt", null))).isEqualTo("204");
  }

  @Test
  void deadPropertiesFollowMoveAndVanishWithDelete() throws Exception {
    String set = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><x:colour xmlns:x=\"urn:x\">blue</x:colour>"
        + "</D:prop></D:set></D:propertyupdate>";
    assertThat(status(dav("PROPPATCH", "/DEST/a/file.txt", set))).isEqualTo("207");
    assertThat(status(dav("MOVE", "/DEST/a/file.txt", null, "Destination: /DEST/a/moved.txt"))).isEqualTo("201");
    String get = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><x:colour xmlns:x=\"urn:x\"/></D:prop></D:propfind>";
    assertThat(dav("PROPFIND", "/DEST/a/moved.txt", get, "Depth: 0").output()).contains("<colour xmlns=\"urn:x\">blue</colour>");
    assertThat(status(dav("DELETE", "/DEST/a/moved.txt", null))).isEqualTo("204");
    f.portal.file("/DEST/a/moved.txt", "new".getBytes());
    assertThat(dav("PROPFIND", "/DEST/a/moved.txt", get, "Depth: 0").output()).doesNotContain("blue").contains("404 Not Found");
    // a read-only user cannot set properties
    assertThat(status(dav("PROPPATCH", "/RO/", set))).isEqualTo("403");
  }
}
