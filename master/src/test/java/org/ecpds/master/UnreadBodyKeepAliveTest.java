package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * A request whose body the resource never reads (here a 404 for an unknown host's "run now") keeps
 * its connection usable: the master reads the body before answering instead of answering and then
 * closing a connection the client believes it may reuse.
 */
class UnreadBodyKeepAliveTest {
  @Test
  void anUnreadBodyIsDrainedAndTheConnectionServesTheNextRequest() throws Exception {
    try (MasterHarness m = new MasterHarness(TestDatabases.h2()); SSLSocket s = RawHttp.connect(m)) {
      String auth = Base64.getEncoder().encodeToString(("admin:" + m.adminPassword).getBytes(StandardCharsets.UTF_8));
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write(("POST /ecpds/v1/host/nohost/acquisition/run HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + auth
          + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      // the body is not there yet: the answer waits for it (before the fix it came at once, then the connection closed)
      s.setSoTimeout(1000);
      assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
      s.setSoTimeout(30_000);
      out.write("{}".getBytes(StandardCharsets.ISO_8859_1));
      out.write("GET /ecpds/v1/version HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String first = RawHttp.response(in);
      assertThat(first).startsWith("HTTP/1.1 404").doesNotContainIgnoringCase("connection: close");
      assertThat(RawHttp.response(in)).as("the same connection answers the next request").startsWith("HTTP/1.1 200");
    }
  }
}
