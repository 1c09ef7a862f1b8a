package org.ecpds.mover.transfer.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.ecpds.mover.transfer.RemoteFile;
import org.junit.jupiter.api.Test;

class IndexParserTest {
  @Test
  void nginxAutoindex() throws Exception {
    String page = """
        <html>
        <head><title>Index of /data/</title></head>
        <body>
        <h1>Index of /data/</h1><hr><pre><a href="../">../</a>
        <a href="sub/">sub/</a>                                               28-Nov-2026 09:10                   -
        <a href="a%20file%20%C3%A9.bin">a file é.bin</a>                                       28-Nov-2026 09:11                1234
        <a href="very-long-name-that-nginx-cuts-in-the-link-text-0123456789.txt">very-long-name-that-nginx-cuts-in-the-link-te..&gt;</a> 01-Jan-2026 00:00  7
        </pre><hr></body>
        </html>
        """;
    List<RemoteFile> files = IndexParser.html(new StringReader(page), "/data/");
    assertThat(files).containsExactly(
        new RemoteFile("sub", 0, Instant.parse("2026-11-28T09:10:00Z").toEpochMilli(), true),
        new RemoteFile("a file é.bin", 1234, Instant.parse("2026-11-28T09:11:00Z").toEpochMilli(), false),
        new RemoteFile("very-long-name-that-nginx-cuts-in-the-link-text-0123456789.txt", 7,
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli(), false));
  }

  @Test
  void apacheFancyIndexSkipsSortAndParentLinksAndRoundedSizes() throws Exception {
    String page = """
        <html><body><h1>Index of /d</h1>
        <pre>      <a href="?C=N;O=D">Name</a>                    <a href="?C=M;O=A">Last modified</a>      <a href="?C=S;O=A">Size</a>  <hr>      <a href="/">Parent Directory</a>                             -
              <a href="f1.txt">f1.txt</a>                  2026-11-28 10:00    6
              <a href="big.bin">big.bin</a>                 2026-11-28 10:01  1.2M
              <a href="dir/">dir/</a>                    2026-11-28 10:02    -
        <hr></pre>
        </body></html>
        """;
    List<RemoteFile> files = IndexParser.html(new StringReader(page), "/d/");
    assertThat(files).extracting(RemoteFile::name).containsExactly("f1.txt", "big.bin", "dir");
    assertThat(files.get(0).size()).isEqualTo(6);
    assertThat(files.get(0).modifiedMillis()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z").toEpochMilli());
    assertThat(files.get(1).size()).isEqualTo(-1); // rounded: unknown
    assertThat(files.get(2).directory()).isTrue();
  }

  @Test
  void plainLinksTablesAndForeignLinks() throws Exception {
    String page = """
        <table><tr><td><a href='x.grib'>x.grib</a></td><td>2026-11-28 10:00:05</td><td>42</td></tr>
        <tr><td><a
           href="/d/y.grib">y</a></td></tr>
        <tr><td><a href="https://elsewhere.example/z">z</a> <a href="mailto:a@b">mail</a> <a href="#top">top</a>
        <a href="deep/er/file">deep</a> <a href="/other/q">q</a> <a href="./w.bin">w</a></td></tr></table>
        """;
    List<RemoteFile> files = IndexParser.html(new StringReader(page), "/d/");
    assertThat(files).extracting(RemoteFile::name).containsExactly("x.grib", "y.grib", "w.bin");
    assertThat(files.get(0).size()).isEqualTo(42);
    assertThat(files.get(0).modifiedMillis()).isEqualTo(Instant.parse("2026-11-28T10:00:05Z").toEpochMilli());
    assertThat(files.get(1).size()).isEqualTo(-1);
    assertThat(files.get(1).modifiedMillis()).isZero();
  }

  @Test
  void nginxJson() throws Exception {
    String body = """
        [
        { "name":"sub", "type":"directory", "mtime":"Sat, 28 Nov 2026 09:10:00 GMT" },
        { "name":"a \\"q\\" \\u00e9.bin", "type":"file", "mtime":"Sat, 28 Nov 2026 09:11:07 GMT", "size":1234 }
        ]
        """;
    assertThat(IndexParser.json(new StringReader(body))).containsExactly(
        new RemoteFile("sub", 0, Instant.parse("2026-11-28T09:10:00Z").toEpochMilli(), true),
        new RemoteFile("a \"q\" é.bin", 1234, Instant.parse("2026-11-28T09:11:07Z").toEpochMilli(), false));
  }

  @Test
  void jsonUnderAFieldWithOtherNames() throws Exception {
    String body = "{\"count\":1,\"files\":[{\"filename\":\"dir/x.nc\",\"length\":5,\"modified\":\"2026-11-28T09:00:00Z\"},"
        + "{\"key\":\"d/\",\"isDir\":true,\"time\":1700000000}]}";
    assertThat(IndexParser.json(new StringReader(body))).containsExactly(
        new RemoteFile("x.nc", 5, Instant.parse("2026-11-28T09:00:00Z").toEpochMilli(), false),
        new RemoteFile("d", 0, 1_700_000_000_000L, true));
  }

  @Test
  void urlPaths() {
    assertThat(UrlPaths.encodePath("/a b/é+名?#%.bin")).isEqualTo("/a%20b/%C3%A9%2B%E5%90%8D%3F%23%25.bin");
    assertThat(UrlPaths.decode("/a%20b/%C3%A9%2B%E5%90%8D%3F%23%25.bin")).isEqualTo("/a b/é+名?#%.bin");
    assertThat(UrlPaths.resolve("/base", "x/y")).isEqualTo("/base/x/y");
    assertThat(UrlPaths.resolve("/base", "/abs//x")).isEqualTo("/abs/x");
    assertThat(UrlPaths.resolve("/", "x")).isEqualTo("/x");
  }
}
