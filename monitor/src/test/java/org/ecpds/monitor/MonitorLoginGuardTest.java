package org.ecpds.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ecpds.common.auth.LoginGuard;
import org.ecpds.common.tls.PemTrust;
import org.ecpds.testkit.EventLines;
import org.ecpds.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refused monitor logins: DEA lines with the browser's address, and 429 + Retry-After when repeated. */
class MonitorLoginGuardTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private MonitorFixture fixture;
  private HttpClient http;
  private EventLines events;

  @BeforeEach
  void start() throws Exception {
    fixture = new MonitorFixture(new LoginGuard(LoginGuard.DEFAULTS, clock));
    http = HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(fixture.tls.certificatePem())))
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    events = new EventLines();
  }

  @AfterEach
  void stop() throws Exception {
    events.close();
    fixture.close();
  }

  @Test
  void repeatedWrongPasswordsAreAuditedAndSlowedDownThenTheRightOneGetsIn() throws Exception {
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = login(FakeMaster.USER, "wrong");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("Login failed");
    }
    HttpResponse<String> slowed = login(FakeMaster.USER, "wrong");
    assertThat(slowed.statusCode()).isEqualTo(429);
    assertThat(slowed.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(slowed.body()).contains("Too many failed logins; try again in 1 s.");
    // the address waits: even the right password is refused before the master is asked
    assertThat(login(FakeMaster.USER, FakeMaster.PASSWORD).statusCode()).isEqualTo(429);
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> in = login(FakeMaster.USER, FakeMaster.PASSWORD);
    assertThat(in.statusCode()).isEqualTo(303);
    assertThat(in.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-ecpds-monitor="));

    String failed = "DEA;UserId=" + FakeMaster.USER + ";Message=Monitor login failed;Context=monitor,monitor,127.0.0.1";
    assertThat(events.denied()).containsExactly(failed, failed, failed, failed,
        "DEA;UserId=" + FakeMaster.USER + ";Message=Too many failed attempts from this address;Context=monitor,monitor,127.0.0.1");
  }

  private HttpResponse<String> login(String user, String password) throws Exception {
    HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(fixture.base() + "/login")).build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher token = Pattern.compile("name=\"login_token\" value=\"([^\"]+)\"").matcher(form.body());
    assertThat(token.find()).as("login form token").isTrue();
    String cookie = form.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("__Host-ecpds-login=")).findFirst().orElseThrow().split(";")[0];
    String body = Map.of("login_token", token.group(1), "user", user, "password", password, "next", "/").entrySet()
        .stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return http.send(HttpRequest.newBuilder(URI.create(fixture.base() + "/login")).header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
