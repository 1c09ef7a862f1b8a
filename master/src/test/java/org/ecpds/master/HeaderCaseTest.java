package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * Credentials are compared as sent: on a kept-alive connection, an Authorization header that
 * differs from the previous request's only in letter case is not read as that previous value
 * (Jetty's header cache matches values case-insensitively unless told otherwise).
 */
class HeaderCaseTest {
  @Test
  void aHeaderDifferingOnlyInCaseFromThePreviousOneIsReadAsSent() throws Exception {
    try (MasterHarness m = new MasterHarness(TestDatabases.h2()); SSLSocket s = RawHttp.connect(m)) {
      String good = Base64.getEncoder().encodeToString(("admin:" + m.adminPassword).getBytes(StandardCharsets.UTF_8));
      String flipped = flipCase(good);
      assertThat(flipped).isNotEqualTo(good);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(request(good));
      out.flush();
      assertThat(RawHttp.status(RawHttp.response(in))).isEqualTo(200);
      out.write(request(flipped));
      out.flush();
      assertThat(RawHttp.status(RawHttp.response(in))).as("wrong credentials on the same connection").isEqualTo(401);
    }
  }

  private static byte[] request(String basic) {
    return ("GET /ecpds/v1/destination HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + basic + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String flipCase(String s) {
    StringBuilder b = new StringBuilder(s);
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      if (Character.isLetter(c)) {
        b.setCharAt(i, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        return b.toString();
      }
    }
    return s;
  }
}
