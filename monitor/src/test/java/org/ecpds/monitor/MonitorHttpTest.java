package org.ecpds.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ecpds.common.tls.PemTrust;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The monitor's HTTP contract without a browser: TLS only, sessions, CSRF, error rendering. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorHttpTest {
  private MonitorFixture fixture;
  private HttpClient http;

  @BeforeAll
  void start() throws IOException {
    fixture = new MonitorFixture();
    http = HttpClient.newBuilder()
        .sslContext(PemTrust.trusting(List.of(fixture.tls.certificatePem())))
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (fixture != null) fixture.close();
  }

  @BeforeEach
  void reset() {
    fixture.master.reset();
  }

  @Test
  void plainHttpOnTheTlsPortServesNothing() {
    HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.monitor.port() + "/login"))
        .timeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> http.send(plain, HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }

  @Test
  void unauthenticatedRequestsGoToLogin() throws Exception {
    HttpResponse<String> home = get("/", null);
    assertThat(home.statusCode()).isEqualTo(303);
    assertThat(home.headers().firstValue("Location")).hasValue("/login?next=%2F");
    assertThat(get("/destination/bench", null).headers().firstValue("Location")).hasValue("/login?next=%2Fdestination%2Fbench");
  }

  @Test
  void unauthenticatedActionIsRefused() throws Exception {
    HttpResponse<String> r = post("/destination/bench", null, Map.of("id", "2", "action", "requeue", "csrf", "guess"));
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith("/login");
    assertThat(fixture.master.actions).isEmpty();
  }

  @Test
  void loginWithoutTheFormTokenIsRefused() throws Exception {
    HttpResponse<String> r = post("/login", null, Map.of("user", FakeMaster.USER, "password", FakeMaster.PASSWORD));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("__Host-ecpds-monitor=")
        && !c.startsWith("__Host-ecpds-monitor=;"));
  }

  @Test
  void loginSetsAHardenedSessionCookie() throws Exception {
    HttpResponse<String> r = login();
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/");
    String cookie = r.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("__Host-ecpds-monitor=")).findFirst().orElseThrow();
    assertThat(cookie).contains("HttpOnly", "Secure", "SameSite=Strict", "Path=/");
    assertThat(sessionOf(r)).matches("[A-Za-z0-9_-]{43}"); // 256 bits, base64url
  }

  @Test
  void actionsNeedTheSessionCsrfToken() throws Exception {
    String session = sessionOf(login());
    assertThat(post("/destination/bench", session, Map.of("id", "2", "action", "requeue")).statusCode()).isEqualTo(403);
    assertThat(post("/destination/bench", session, Map.of("id", "2", "action", "requeue", "csrf", "forged"))
        .statusCode()).isEqualTo(403);
    assertThat(fixture.master.actions).isEmpty();

    String page = get("/destination/bench", session).body();
    HttpResponse<String> stop = post("/destination/bench", session,
        Map.of("id", "2", "action", "stop", "csrf", field(page, "csrf")));
    assertThat(stop.statusCode()).isEqualTo(303);
    assertThat(stop.headers().firstValue("Location")).hasValue("/destination/bench");
    assertThat(fixture.master.actions).singleElement()
        .satisfies(a -> assertThat(a.getAction() + "/" + a.getUser()).isEqualTo("stop/" + FakeMaster.USER));
    assertThat(get("/destination/bench", session).body()).contains("Transfer 2: stop done, now STOP. stop by operator");
  }

  @Test
  void transferButtonsAreExactlyTheActionsTheMasterOffers() throws Exception {
    String page = get("/destination/bench", sessionOf(login())).body();
    assertThat(offered(page, FakeMaster.EXEC_ID)).containsExactly("stop"); // no Requeue while transferring
    assertThat(offered(page, FakeMaster.FAIL_ID)).containsExactly("requeue", "stop"); // Stop on Failed
    assertThat(offered(page, FakeMaster.DONE_ID)).containsExactly("requeue");
    assertThat(offered(page, FakeMaster.HOLD_ID)).containsExactly("release", "stop", "priority");
    assertThat(row(page, FakeMaster.EXEC_ID)).contains("<span class=\"name\">Transferring</span>")
        .contains(">Stop</button>").doesNotContain(">Requeue</button>");
    assertThat(row(page, FakeMaster.HOLD_ID)).contains(">StandBy</span>", ">Release</button>", "class=\"priority-input\"");
  }

  @Test
  void destinationStateAndButtonsComeFromTheMaster() throws Exception {
    String session = sessionOf(login());
    assertThat(get("/", session).body()).contains("data-state=\"WAIT\" title=\"WAIT\">Idle</span>");
    String page = get("/destination/bench", session).body();
    assertThat(destinationOffered(page)).containsExactly("hold", "stop", "clean", "requeue-all");
    assertThat(page).contains("data-confirm=\"Stop destination \u201cbench\u201d?\"",
        "data-confirm=\"Clean destination \u201cbench\u201d?\"", ">Requeue all</button>");
    assertThat(page).doesNotContain("data-confirm=\"Hold");

    HttpResponse<String> hold = post("/destination/bench", session,
        Map.of("destination-action", "hold", "csrf", field(page, "csrf")));
    assertThat(hold.statusCode()).isEqualTo(303);
    assertThat(hold.headers().firstValue("Location")).hasValue("/destination/bench");
    assertThat(fixture.master.destinationActions).singleElement().satisfies(a -> assertThat(
        a.getDestination() + "/" + a.getAction() + "/" + a.getUser()).isEqualTo("bench/hold/" + FakeMaster.USER));
    String after = get("/destination/bench", session).body();
    assertThat(after).contains("Destination bench: hold done, now Held. hold by operator", ">Held</span>");
    assertThat(destinationOffered(after)).containsExactly("release", "clean");
  }

  @Test
  void destinationActionsNeedTheSessionCsrfToken() throws Exception {
    String session = sessionOf(login());
    assertThat(post("/destination/bench", session, Map.of("destination-action", "stop")).statusCode()).isEqualTo(403);
    assertThat(post("/destination/bench", session, Map.of("destination-action", "stop", "csrf", "forged"))
        .statusCode()).isEqualTo(403);
    assertThat(post("/destination/bench", null, Map.of("destination-action", "stop", "csrf", "x"))
        .statusCode()).isEqualTo(303);
    assertThat(fixture.master.destinationActions).isEmpty();
  }

  @Test
  void theMastersRefusalIsShownAsItsMessage() throws Exception {
    String session = sessionOf(login());
    String csrf = field(get("/destination/bench", session).body(), "csrf");
    // Not offered, but the monitor does not second-guess: the master decides and says why.
    post("/destination/bench", session, Map.of("id", "3", "action", "requeue", "csrf", csrf));
    post("/destination/bench", session, Map.of("destination-action", "release", "csrf", csrf));
    assertThat(fixture.master.actions).hasSize(1);
    assertThat(get("/destination/bench", session).body())
        .contains("id=\"flash\" role=\"status\" class=\"flash error\"")
        .contains("Destination bench: release refused. cannot release a destination that is Idle");
  }

  @Test
  void priorityFormSendsTheNewPriority() throws Exception {
    String session = sessionOf(login());
    String csrf = field(get("/destination/bench", session).body(), "csrf");
    HttpResponse<String> r = post("/destination/bench", session,
        Map.of("id", "2", "action", "priority", "priority", " 7 ", "csrf", csrf));
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(fixture.master.actions).singleElement().satisfies(a -> {
      assertThat(a.getTransferId()).isEqualTo(FakeMaster.WAIT_ID);
      assertThat(a.getAction()).isEqualTo("priority");
      assertThat(a.getPriority()).isEqualTo(7);
      assertThat(a.getUser()).isEqualTo(FakeMaster.USER);
    });
    String page = get("/destination/bench", session).body();
    assertThat(page).contains("Transfer 2: priority 7 done, now WAIT.");
    assertThat(row(page, FakeMaster.WAIT_ID)).contains("<td class=\"priority num\">7</td>");

    // The range is the master's rule: 150 is forwarded and its refusal shown.
    post("/destination/bench", session, Map.of("id", "2", "action", "priority", "priority", "150", "csrf", csrf));
    assertThat(fixture.master.actions).hasSize(2);
    assertThat(get("/destination/bench", session).body()).contains("Transfer 2: priority 150 refused. priority must be 0-99");
  }

  @Test
  void aPriorityThatIsNotANumberGetsAClearNotice() throws Exception {
    String session = sessionOf(login());
    String csrf = field(get("/destination/bench", session).body(), "csrf");
    HttpResponse<String> r = post("/destination/bench", session,
        Map.of("id", "2", "action", "priority", "priority", "<soon>", "csrf", csrf));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Priority \u201c&lt;soon&gt;\u201d is not a whole number; nothing was changed.",
        "href=\"/destination/bench\"").doesNotContain("<soon>");
    assertThat(post("/destination/bench", session, Map.of("id", "2", "action", "priority", "priority", "99999999999",
        "csrf", csrf)).body()).contains("is too large to send");
    assertThat(post("/destination/bench", session, Map.of("id", "2", "action", "priority", "csrf", csrf))
        .statusCode()).isEqualTo(400);
    assertThat(fixture.master.actions).isEmpty();
  }

  @Test
  void releaseIsSentForAStandByTransfer() throws Exception {
    String session = sessionOf(login());
    String csrf = field(get("/destination/bench", session).body(), "csrf");
    post("/destination/bench", session, Map.of("id", "5", "action", "release", "csrf", csrf));
    assertThat(fixture.master.actions).singleElement()
        .satisfies(a -> assertThat(a.getTransferId() + "/" + a.getAction()).isEqualTo("5/release"));
    assertThat(offered(get("/destination/bench", session).body(), FakeMaster.HOLD_ID))
        .containsExactly("requeue", "stop", "priority");
  }

  @Test
  void malformedActionFormsAreRefused() throws Exception {
    String session = sessionOf(login());
    String csrf = field(get("/destination/bench", session).body(), "csrf");
    for (Map<String, String> form : List.of(
        Map.of("csrf", csrf),
        Map.of("id", "2", "action", "stop", "destination-action", "hold", "csrf", csrf),
        Map.of("id", "x", "action", "stop", "csrf", csrf),
        Map.of("destination-action", "<b>", "csrf", csrf))) {
      assertThat(post("/destination/bench", session, form).statusCode()).as(form.toString()).isEqualTo(400);
    }
    assertThat(fixture.master.actions).isEmpty();
    assertThat(fixture.master.destinationActions).isEmpty();
  }

  @Test
  void masterOutageRendersABannerNotAStackTrace() throws Exception {
    String session = sessionOf(login());
    fixture.master.failure = Status.UNAVAILABLE.withDescription("connection refused");
    HttpResponse<String> r = get("/", session);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).contains("id=\"error-banner\"", "The master is unreachable (connection refused)")
        .doesNotContain("StatusRuntimeException", "at org.", "at io.");
  }

  @Test
  void unknownDestinationIsA404WithItsNameEscaped() throws Exception {
    String session = sessionOf(login());
    HttpResponse<String> r = get("/destination/" + URLEncoder.encode("<x>", StandardCharsets.UTF_8), session);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("There is no destination named \u201c&lt;x&gt;\u201d").doesNotContain("<x>");
  }

  @Test
  void pagesCarrySecurityHeadersAndEscapeMasterText() throws Exception {
    String session = sessionOf(login());
    HttpResponse<String> r = get("/destination/bench", session);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.body()).contains("waiting for &lt;b&gt;slot&lt;/b&gt; &amp; host");
  }

  @Test
  void logoutEndsTheSessionServerSide() throws Exception {
    String session = sessionOf(login());
    assertThat(get("/", session).statusCode()).isEqualTo(200);
    assertThat(post("/logout", session, Map.of()).headers().firstValue("Location")).hasValue("/login");
    assertThat(get("/", session).statusCode()).isEqualTo(303);
    assertThat(fixture.master.loggedOut).as("the master's token is ended too").containsExactly(FakeMaster.TOKEN);
  }

  @Test
  void configFormsGoToTheMasterWhichDecides() throws Exception {
    String session = sessionOf(login());
    String page = get("/config", session).body();
    assertThat(values(page, "form")).containsExactly("destination", "host", "user");
    String csrf = field(page, "csrf");
    assertThat(post("/config", session, Map.of("form", "destination", "name", "NEW")).statusCode()).isEqualTo(403);
    assertThat(fixture.master.createdDestinations).isEmpty();

    HttpResponse<String> ok = post("/config", session, Map.of("csrf", csrf, "form", "destination", "name", "NEW",
        "max_connections", "4"));
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("Location")).hasValue("/config");
    assertThat(fixture.master.createdDestinations).singleElement().satisfies(r -> assertThat(
        r.getUser() + "/" + r.getSessionToken() + "/" + r.getName() + "/" + r.getMaxConnections())
        .isEqualTo(FakeMaster.USER + "/" + FakeMaster.TOKEN + "/NEW/4"));
    assertThat(get("/config", session).body()).contains("Destination NEW created.");

    // The master's refusal keeps its status and reason, and the form keeps the values typed.
    HttpResponse<String> taken = post("/config", session, Map.of("csrf", csrf, "form", "destination",
        "name", FakeMaster.TAKEN, "comment", "<i>mine</i>"));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(taken.body()).contains("Not saved: destination taken already exists.")
        .contains("value=\"&lt;i&gt;mine&lt;/i&gt;\"");
    // A number the monitor cannot even send is a 400 without a call.
    HttpResponse<String> nan = post("/config", session, Map.of("csrf", csrf, "form", "destination", "name", "X",
        "max_connections", "many"));
    assertThat(nan.statusCode()).isEqualTo(400);
    assertThat(nan.body()).contains("Max connections \u201cmany\u201d is not a whole number");
    assertThat(fixture.master.createdDestinations).hasSize(2);
  }

  @Test
  void ratesAreJsonForTheLoggedInOnly() throws Exception {
    assertThat(get("/rates/bench", null).statusCode()).isEqualTo(401);
    String session = sessionOf(login());
    fixture.master.deliveredNow = 6;
    HttpResponse<String> r = get("/rates/bench", session);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
    assertThat(r.body()).contains("\"files\":6,\"bytes\":6000", "\"bucketSeconds\":60",
        "\"filesPerSecond\":[0.0000,0.0000,0.1000]", "\"bytesPerSecond\":[0.0000,0.0000,100.0000]");
    assertThat(get("/rates/nope", session).statusCode()).isEqualTo(404);
    assertThat(get("/destination/bench", session).body()).contains("id=\"rate-plot\" data-src=\"/rates/bench\"",
        "/assets/uPlot.iife.min.js", "/assets/rates.js");
    assertThat(get("/assets/uPlot.iife.min.js", null).body()).contains("uPlot");
    assertThat(get("/assets/rates.js", null).statusCode()).isEqualTo(200);
  }

  @Test
  void bulkRequeueAsksTheMasterOncePerSelectedTransfer() throws Exception {
    String session = sessionOf(login());
    String page = get("/destination/bench", session).body();
    // Only rows the master offers a requeue for can be selected.
    assertThat(Pattern.compile("class=\"select\" form=\"bulk-form\" value=\"(\\d+)\"").matcher(page).results()
        .map(m -> m.group(1)).toList()).containsExactly("1", "2", "4");
    String csrf = field(page, "csrf");
    assertThat(post("/destination/bench", session, Map.of("csrf", csrf, "bulk-action", "requeue")).statusCode())
        .isEqualTo(400);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fixture.base() + "/destination/bench"))
        .header("Cookie", "__Host-ecpds-monitor=" + session).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&bulk-action=requeue&id=1&id=4&id=3")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(fixture.master.actions).extracting(a -> a.getTransferId() + ":" + a.getAction() + ":" + a.getSessionToken())
        .containsExactly("1:requeue:" + FakeMaster.TOKEN, "4:requeue:" + FakeMaster.TOKEN, "3:requeue:" + FakeMaster.TOKEN);
    assertThat(get("/destination/bench", session).body())
        .contains("Requeue of 3 transfer(s): 2 done, 1 refused (3: requeue is not allowed for this transfer).");
  }

  private HttpResponse<String> login() throws Exception {
    HttpResponse<String> form = get("/login", null);
    String token = field(form.body(), "login_token");
    String cookie = form.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("__Host-ecpds-login=")).findFirst().orElseThrow().split(";")[0];
    HttpRequest request = HttpRequest.newBuilder(URI.create(fixture.base() + "/login"))
        .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("login_token", token, "user", FakeMaster.USER,
            "password", FakeMaster.PASSWORD, "next", "/"))))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String sessionOf(HttpResponse<String> loginResponse) {
    return loginResponse.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("__Host-ecpds-monitor=")).findFirst().orElseThrow()
        .split(";")[0].substring("__Host-ecpds-monitor=".length());
  }

  /** The markup of tr.transfer[data-id=id] (up to its history row). */
  private static String row(String html, long id) {
    Matcher m = Pattern.compile("<tr class=\"transfer\" data-id=\"" + id + "\".*?</tr>").matcher(html);
    assertThat(m.find()).as("transfer row " + id).isTrue();
    return m.group();
  }

  /** The actions of a transfer's forms, in page order. */
  private static List<String> offered(String html, long id) {
    return values(row(html, id), "action");
  }

  private static List<String> destinationOffered(String html) {
    Matcher m = Pattern.compile("<div id=\"destination-actions\".*?</div>").matcher(html);
    assertThat(m.find()).as("destination actions").isTrue();
    return values(m.group(), "destination-action");
  }

  private static List<String> values(String html, String name) {
    return Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html).results()
        .map(r -> r.group(1)).toList();
  }

  private static String field(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("hidden field " + name).isTrue();
    return m.group(1);
  }

  private HttpResponse<String> get(String path, String session) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.base() + path)).GET();
    if (session != null) b.header("Cookie", "__Host-ecpds-monitor=" + session);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String session, Map<String, String> fields) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.base() + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
    if (session != null) b.header("Cookie", "__Host-ecpds-monitor=" + session);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
