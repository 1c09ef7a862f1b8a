package org.ecpds.launcher;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.ecpds.common.tls.PemTrust;

/**
 * A monitor session outside the browser: logs in through the real login form, keeps the cookies,
 * and posts forms as a forger would, with the session's own cookie and CSRF token. Redirects are
 * not followed, so a test sees the monitor's own status codes.
 */
final class MonitorHttp {
  private static final Pattern LOGIN_TOKEN = Pattern.compile("name=\"login_token\" value=\"([^\"]+)\"");
  private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\">");
  private final HttpClient http;
  private final String base;

  MonitorHttp(int port, Path certPem) throws Exception {
    http = HttpClient.newBuilder().sslContext(PemTrust.trusting(List.of(Files.readString(certPem))))
        .cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(30)).build();
    base = "https://localhost:" + port;
  }

  /** Logs in with the form (double-submit token included); fails unless the monitor redirects. */
  MonitorHttp login(String user, String password) throws Exception {
    String form = get("/login").body();
    Matcher m = LOGIN_TOKEN.matcher(form);
    if (!m.find()) throw new AssertionError("no login token in " + form);
    HttpResponse<String> r = post("/login", Map.of("login_token", m.group(1), "user", user, "password", password,
        "next", "/"));
    if (r.statusCode() != 303) throw new AssertionError("login of " + user + " -> " + r.statusCode() + " " + r.body());
    return this;
  }

  /** The session's CSRF token, as every page of a logged-in session carries it. */
  String csrf() throws Exception {
    String page = get("/").body();
    Matcher m = CSRF.matcher(page);
    if (!m.find()) throw new AssertionError("no CSRF token on the overview page");
    return m.group(1);
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One POST of an url-encoded form; a field given as a List is sent once per value. */
  HttpResponse<String> post(String path, Map<String, ?> fields) throws Exception {
    String body = new LinkedHashMap<>(fields).entrySet().stream().flatMap(e -> (e.getValue() instanceof List<?> l
        ? l.stream() : java.util.stream.Stream.of(e.getValue())).map(v -> enc(e.getKey()) + "=" + enc(String.valueOf(v))))
        .collect(Collectors.joining("&"));
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
