package org.ecpds.master;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.ecpds.common.tls.PemTrust;

/** HTTP/1.1 by hand over one TLS connection to a test master: for what a client library hides (reuse, timing). */
final class RawHttp {
  private RawHttp() {}

  static SSLSocket connect(MasterHarness m) throws IOException {
    return (SSLSocket) PemTrust.trusting(List.of(m.node.tls().certificatePem())).getSocketFactory()
        .createSocket("localhost", m.node.restPort());
  }

  /** One response: its head and its Content-Length body. */
  static String response(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("connection closed after: " + head.toString(StandardCharsets.ISO_8859_1));
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
    }
    return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** The status code of a {@link #response}. */
  static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }
}
