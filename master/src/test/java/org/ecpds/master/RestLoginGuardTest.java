package org.ecpds.master;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.ManualClock;
import org.ecpds.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Refused REST logins and permissions: DEA lines with the interface and the client address, and
 * repeated wrong passwords slowed down (429 + Retry-After) without locking the real user out.
 * Requests come from chosen loopback addresses (127.0.0.1 and 127.0.0.2) to tell clients apart.
 */
class RestLoginGuardTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private MasterHarness m;
  private EventLines events;

  @BeforeEach
  void start() throws Exception {
    m = new MasterHarness(TestDatabases.h2(), clock);
    events = new EventLines();
  }

  @AfterEach
  void stop() {
    events.close();
    m.close();
  }

  @Test
  void wrongPasswordsAreAuditedThenAnsweredWith429AndRetryAfter() throws Exception {
    for (int i = 0; i < 3; i++) assertThat(get("127.0.0.1", "admin", "wrong").code).isEqualTo(401);
    Raw slowed = get("127.0.0.1", "admin", "wrong");
    assertThat(slowed.code).isEqualTo(429);
    assertThat(slowed.headers.get("retry-after")).isEqualTo("1");
    assertThat(slowed.body).contains("\"status\":\"error\"").contains("too many failed logins");
    // while the address waits, even the right password is refused before it is checked
    Raw early = get("127.0.0.1", "admin", m.adminPassword);
    assertThat(early.code).isEqualTo(429);
    assertThat(early.headers.get("retry-after")).isEqualTo("1");
    // another address gets in at once with the right password
    assertThat(get("127.0.0.2", "admin", m.adminPassword).code).isEqualTo(200);
    // and the first address once the wait has passed
    clock.advance(Duration.ofSeconds(1));
    assertThat(get("127.0.0.1", "admin", m.adminPassword).code).isEqualTo(200);

    assertThat(events.denied()).hasSize(5).startsWith(
        "DEA;UserId=admin;Message=Invalid user name or password;Context=rest,master,127.0.0.1");
    assertThat(events.denied().get(4))
        .isEqualTo("DEA;UserId=admin;Message=Too many failed attempts from this address;Context=rest,master,127.0.0.1");
  }

  @Test
  void theDelayDoublesAndIsBounded() throws Exception {
    for (int i = 0; i < 3; i++) get("127.0.0.1", "admin", "wrong");
    List<String> waits = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Raw r = get("127.0.0.1", "admin", "wrong");
      assertThat(r.code).isEqualTo(429);
      waits.add(r.headers.get("retry-after"));
      clock.advance(Duration.ofSeconds(Long.parseLong(r.headers.get("retry-after"))));
    }
    assertThat(waits).containsExactly("1", "2", "4", "8", "16", "30", "30", "30");
    // the bound holds for the legitimate user too: at most 30 s after the last checked failure
    clock.advance(Duration.ofSeconds(30));
    assertThat(get("127.0.0.1", "admin", m.adminPassword).code).isEqualTo(200);
  }

  @Test
  void guessesSpreadOverAddressesAreSlowedPerUserButTheUserStillGetsIn() throws Exception {
    for (int i = 1; i <= 3; i++) assertThat(get("127.0.0." + i, "admin", "wrong").code).isEqualTo(401);
    // a fourth address is not waiting, but admin has failed too often: its wrong answer is held back
    Raw held = get("127.0.0.4", "admin", "wrong");
    assertThat(held.code).isEqualTo(429);
    assertThat(held.headers.get("retry-after")).isEqualTo("1");
    // the right password is never refused for the user's sake, from an address that is not waiting
    assertThat(get("127.0.0.5", "admin", m.adminPassword).code).isEqualTo(200);
    // and the success forgets admin's failures: the next wrong password is a plain 401 again
    assertThat(get("127.0.0.6", "admin", "wrong").code).isEqualTo(401);
  }

  @Test
  void aMalformedAuthorizationHeaderIsARefusalButNoHeaderIsOnlyAChallenge() throws Exception {
    assertThat(raw("127.0.0.1", "Basic !!!").code).isEqualTo(401);
    Raw none = raw("127.0.0.1", null);
    assertThat(none.code).isEqualTo(401);
    assertThat(none.headers.get("www-authenticate")).startsWith("Basic");
    assertThat(events.denied()).containsExactly(
        "DEA;UserId=;Message=Malformed Basic authorization header;Context=rest,master,127.0.0.1");
  }

  @Test
  void permissionRefusalsAreAuditedWithTheUserAndAddress() throws Exception {
    assertThat(m.call("POST", "incoming/user", Map.of("id", "alice", "password", "alice-password-1")).code())
        .isEqualTo(200);
    assertThat(raw("127.0.0.2", basic("alice", "alice-password-1")).code).isEqualTo(403);
    assertThat(events.denied()).singleElement().asString()
        .startsWith("DEA;UserId=alice;Message=GET destination: ").endsWith(";Context=rest,master,127.0.0.2");
  }

  private record Raw(int code, Map<String, String> headers, String body) {}

  private Raw get(String from, String user, String password) throws Exception {
    return raw(from, basic(user, password));
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** GET /destination over TLS from the given local address (java.net.http cannot choose it on Java 17). */
  private Raw raw(String from, String authorization) throws Exception {
    var factory = PemTrust.trusting(List.of(m.node.tls().certificatePem())).getSocketFactory();
    try (SSLSocket s = (SSLSocket) factory.createSocket(InetAddress.getByName("127.0.0.1"), m.node.restPort(),
        InetAddress.getByName(from), 0)) {
      s.setSoTimeout(30_000);
      String request = "GET /ecpds/v1/destination HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
          + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "\r\n";
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      int code = Integer.parseInt(in.readLine().split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
      StringBuilder body = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) body.append(line).append('\n');
      return new Raw(code, headers, body.toString());
    }
  }
}
