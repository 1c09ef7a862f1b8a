package org.ecpds.mover.transfer.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.ecpds.mover.transfer.ProgressListener;
import org.ecpds.mover.transfer.RemoteFile;
import org.ecpds.mover.transfer.TransferException;
import org.ecpds.mover.transfer.TransferModule;
import org.ecpds.proto.ErrorKind;
import org.ecpds.proto.HostSpec;
import org.ecpds.testkit.NginxServer;
import org.junit.jupiter.api.Test;

/** The multistatus parser, and the module against nginx's DAV (the suite runs it against Apache). */
class WebDavModuleTest {
  @Test
  void multistatusWithNamespacesPropstatsAndEscapes() throws Exception {
    String xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <D:multistatus xmlns:D="DAV:" xmlns:lp1="DAV:">
        <D:response><D:href>/base/dir/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype>
          </D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
        <D:response><D:href>http://h:1/base/dir/a%20b%C3%A9.bin</D:href><D:propstat><D:prop>
          <lp1:getcontentlength>1234</lp1:getcontentlength><lp1:getlastmodified>Sat, 28 Nov 2026 09:11:07 GMT</lp1:getlastmodified>
          <D:resourcetype/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>
          <D:propstat><D:prop><D:getcontentlength>99</D:getcontentlength></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>
        </D:response>
        <D:response><D:href>/base/dir/sub/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype>
          </D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
        </D:multistatus>
        """;
    List<RemoteFile> l = Multistatus.children(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "/base/dir/");
    assertThat(l).containsExactly(
        new RemoteFile("a bé.bin", 1234, Instant.parse("2026-11-28T09:11:07Z").toEpochMilli(), false),
        new RemoteFile("sub", 0, 0, true));
  }

  @Test
  void externalEntitiesAreRefused() {
    String xxe = """
        <?xml version="1.0"?>
        <!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <D:multistatus xmlns:D="DAV:"><D:response><D:href>/d/&x;</D:href></D:response></D:multistatus>
        """;
    assertThatThrownBy(() -> Multistatus.children(new ByteArrayInputStream(xxe.getBytes(StandardCharsets.UTF_8)), "/d/"))
        .isInstanceOf(IOException.class).hasMessageContaining("DOCTYPE");
  }

  @Test
  void againstNginx() throws Exception {
    try (NginxServer nginx = NginxServer.start(); WebDavModuleFactory factory = new WebDavModuleFactory()) {
      HostSpec h = HostSpec.newBuilder().setTransferMethod("webdavs").setAddress("127.0.0.1").setPort(nginx.sslPort())
          .setLogin(nginx.user()).setPassword(nginx.password()).putOptions("webdav.trustCert", nginx.certificatePem())
          .putOptions("webdav.path", "/base").build();
      try (TransferModule m = factory.create()) {
        m.connect(h, h.getOptionsMap());
        byte[] b = "dav over tls".getBytes(StandardCharsets.UTF_8);
        assertThat(m.put(new ByteArrayInputStream(b), b.length, "x/y/f é.txt", ProgressListener.NONE)).isEqualTo(b.length);
        assertThat(nginx.root().resolve("base/x/y/f é.txt")).hasBinaryContent(b);
        m.mkdirs("x/z/w");
        assertThat(nginx.root().resolve("base/x/z/w")).isDirectory();
        m.mkdirs("x/z/w"); // exists: fine
        m.rename("x/y/f é.txt", "x/z/w/g.txt");
        assertThat(m.list("x/z/w")).extracting(RemoteFile::name, RemoteFile::size).containsExactly(
            org.assertj.core.groups.Tuple.tuple("g.txt", (long) b.length));
        assertThat(m.list("x")).extracting(RemoteFile::name).containsExactlyInAnyOrder("y", "z");
        try (InputStream in = m.get("x/z/w/g.txt", 4)) {
          assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("over tls");
        }
        assertThat(m.size("x/z/w/g.txt")).isEqualTo(b.length);
        m.delete("x/z/w/g.txt");
        assertThat(m.size("x/z/w/g.txt")).isEqualTo(-1);
        TransferException e = (TransferException) org.assertj.core.api.Assertions.catchThrowable(() -> m.list("nope"));
        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
      }
    }
  }
}
