package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ecpds.common.config.Config;
import org.ecpds.master.domain.WebUser;
import org.ecpds.master.security.Passwords;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 10, "must show" 1, against the standalone: in headless Chromium an operator creates a
 * destination, a host and an incoming user with the monitor's forms, that user pushes files with
 * the ecpds CLI, the rate plot's data moves without a page reload, a bulk requeue sends the files
 * again and the destination is held and released. Then a read-only web user forges the same forms
 * with its own session and CSRF token, and the master refuses every one of them.
 */
class MonitorConfigEndToEndTest {
  private static final Duration DELIVERY = Duration.ofSeconds(90);
  @TempDir Path tmp;

  @Test
  void operatorConfiguresWatchesAndActsWhileAReadOnlyUserIsRefusedByTheMaster() throws Exception {
    Tools.require("/usr/bin/chromium", "chromium chromium-driver");
    Tools.require("/usr/bin/chromedriver", "chromium chromium-driver");
    try (Standalone sa = Standalone.start(TestConfig.empty().with("standalone.dataDir", tmp.resolve("data"))
        .with("master.rest.port", 0).with("mover.upload.port", 0).with("portal.sftp.port", -1)
        .with("portal.https.port", -1).with("portal.s3.port", -1).with("portal.ftps.port", -1)
        .with("portal.ftps.implicitPort", -1).with("monitor.port", 0).with("master.bcryptCost", 4), System.out)) {
      Path cert = tmp.resolve("data/tls/cert.pem");
      String password = sa.master().generatedAdminPassword();
      Rest admin = new Rest(sa.master().restPort(), cert, "admin", password);
      String viewerPassword = Passwords.generate();
      admin.call("POST", "web/user", Map.of("name", "viewer", "password", viewerPassword, "role", WebUser.READ_ONLY));
      String pusherPassword = Passwords.generate();
      int monitorPort = sa.monitor().port();
      String base = "https://localhost:" + monitorPort;

      long[] transfers;
      WebDriver driver = browser();
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get(base + "/config");
        find(wait, "#user").sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/config"));

        // The master's validation reaches the form as a message, and the values typed are kept.
        type(wait, "#destination-name", "no spaces allowed");
        find(wait, "#destination-submit").click();
        assertThat(find(wait, "#error-banner").getText()).startsWith("Not saved:").contains("destination");
        assertThat(find(wait, "#destination-name").getAttribute("value")).isEqualTo("no spaces allowed");
        screenshot(driver, "monitor-config-refused.png");

        type(wait, "#destination-name", "RATES");
        find(wait, "#destination-submit").click();
        flash(wait, "Destination RATES created.");

        type(wait, "#host-name", "rates-host");
        type(wait, "#host-destination", "RATES");
        new Select(find(wait, "#host-method")).selectByValue("test");
        type(wait, "#host-address", "localhost");
        find(wait, "#host-submit").click();
        flash(wait, "Host rates-host created for destination RATES.");

        type(wait, "#user-name", "pusher");
        type(wait, "#user-password", pusherPassword);
        type(wait, "#user-destination", "RATES");
        find(wait, "#user-can-put").click();
        find(wait, "#user-submit").click();
        flash(wait, "Incoming user pusher created with access to RATES.");
        assertThat(admin.call("GET", "destination/RATES", null).at("/destination/hosts/0/host").asText()).isEqualTo("rates-host");
        assertThat(admin.call("GET", "incoming/user/pusher/destination", null).toString()).contains("RATES");

        // The plot draws and polls; nothing has been delivered yet.
        driver.get(base + "/destination/RATES");
        find(wait, "#live-toggle").click(); // hold the table still: rows are clicked below
        find(wait, "#rate-plot canvas");
        wait.until(d -> Integer.parseInt(plot(d, "data-polls")) >= 1);
        assertThat(plot(driver, "data-files")).isEqualTo("0");
        ((JavascriptExecutor) driver).executeScript("window.ecpdsSamePage = true;");

        transfers = new long[] {push(sa, cert, "pusher", pusherPassword, "a.bin", 200_000),
            push(sa, cert, "pusher", pusherPassword, "b.bin", 300_000)};
        for (long t : transfers) admin.awaitTransfer(t, "DONE", DELIVERY);
        // Moves within a few polls, on the same page: no reload happened.
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "2".equals(plot(d, "data-files")));
        assertThat(plot(driver, "data-bytes")).isEqualTo("500000");
        assertThat(((JavascriptExecutor) driver).executeScript("return window.ecpdsSamePage === true;")).isEqualTo(true);
        screenshot(driver, "monitor-rate-plot.png");

        // Bulk requeue: both delivered transfers selected, one action.
        driver.navigate().refresh();
        for (long t : transfers) find(wait, "input.select[value='" + t + "']").click();
        find(wait, "#bulk-requeue").click();
        flash(wait, "Requeue of 2 transfer(s): 2 done.");
        new WebDriverWait(driver, DELIVERY).until(d -> "4".equals(plot(d, "data-files")));
        for (long t : transfers) {
          assertThat(admin.call("GET", "transfer/" + t, null).toString()).contains("requeued by admin");
        }

        find(wait, "#destination-actions button[data-action='hold']").click();
        flash(wait, "Destination RATES: hold done");
        assertThat(admin.call("GET", "destination/RATES", null).at("/destination/state").asText()).isEqualTo("HOLD");
        find(wait, "#destination-actions button[data-action='release']").click();
        flash(wait, "Destination RATES: release done");
        assertThat(admin.call("GET", "destination/RATES", null).at("/destination/state").asText()).isEqualTo("WAIT");
      } finally {
        driver.quit();
      }

      // Bad input from an operator: 4xx with the reason, never a 500.
      MonitorHttp operator = new MonitorHttp(monitorPort, cert).login("admin", password);
      String operatorCsrf = operator.csrf();
      HttpResponse<String> r = operator.post("/config", Map.of("csrf", operatorCsrf, "form", "host", "name", "h2",
          "destination", "RATES", "transfer_method", "test", "address", "localhost", "port", "abc"));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("Port \u201cabc\u201d is not a whole number");
      r = operator.post("/config", Map.of("csrf", operatorCsrf, "form", "host", "name", "h2", "destination", "NOPE",
          "transfer_method", "test", "address", "localhost"));
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body()).contains("destination NOPE not found");
      assertThatThrownBy(() -> admin.call("GET", "host/h2", null)).hasMessageContaining("404");
      r = operator.post("/config", Map.of("csrf", operatorCsrf, "form", "destination", "name", "RATES"));
      assertThat(r.statusCode()).isEqualTo(409);

      // The read-only user sees no forms, and forging them with its own session and token changes nothing.
      MonitorHttp viewer = new MonitorHttp(monitorPort, cert).login("viewer", viewerPassword);
      String page = viewer.get("/destination/RATES").body();
      assertThat(page).contains("id=\"read-only\"").doesNotContain("data-action=\"hold\"")
          .doesNotContain("id=\"bulk-form\"");
      String csrf = viewer.csrf();

      r = viewer.post("/destination/RATES", Map.of("csrf", csrf, "destination-action", "hold"));
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(viewer.get("/destination/RATES").body()).contains("Destination RATES: hold refused. user viewer is read-only");
      assertThat(admin.call("GET", "destination/RATES", null).at("/destination/state").asText()).isEqualTo("WAIT");

      r = viewer.post("/destination/RATES", Map.of("csrf", csrf, "bulk-action", "requeue",
          "id", List.of(transfers[0], transfers[1])));
      assertThat(r.statusCode()).isEqualTo(303);
      assertThat(viewer.get("/destination/RATES").body()).contains("Requeue of 2 transfer(s): 0 done, 2 refused")
          .contains("user viewer is read-only");

      r = viewer.post("/config", Map.of("csrf", csrf, "form", "destination", "name", "FORGED"));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("user viewer is read-only");
      assertThatThrownBy(() -> admin.call("GET", "destination/FORGED", null)).hasMessageContaining("404");
      r = viewer.post("/config", Map.of("csrf", csrf, "form", "user", "name", "forged-user", "password", "x"));
      assertThat(r.statusCode()).isEqualTo(403);
      assertThatThrownBy(() -> admin.call("GET", "incoming/user/forged-user", null)).hasMessageContaining("404");
      // Without the token the monitor itself refuses before asking the master.
      assertThat(viewer.post("/config", Map.of("form", "destination", "name", "FORGED")).statusCode()).isEqualTo(403);
      // The requeue count did not move: the refused bulk requeue reached no transfer.
      for (long t : transfers) {
        assertThat(admin.call("GET", "transfer/" + t, null).toString()).doesNotContain("viewer");
      }
    }
  }

  private static WebDriver browser() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,1000", "--ignore-certificate-errors",
        "--user-data-dir=" + Files.createTempDirectory("chrome"));
    return new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
  }

  /** Pushes one file as the incoming user with the ecpds CLI; returns its transfer's id. */
  private long push(Standalone sa, Path cert, String user, String password, String name, int size) throws Exception {
    Path f = tmp.resolve(name);
    StandaloneEndToEndTest.writeRandom(f, size, name.hashCode());
    JavaProcess.Result push = JavaProcess.run("org.ecpds.cli.Ecpds", List.of("-echost", "localhost", "-ecport",
        String.valueOf(sa.master().restPort()), "-cacert", cert.toString(), "-user", user, "-pass", password,
        "-destination", "RATES", "-source", f.toString(), "-target", name), tmp);
    assertThat(push.exit()).as(push.err()).isZero();
    Rest rest = new Rest(sa.master().restPort(), cert, "admin", sa.master().generatedAdminPassword());
    return rest.transferOf(Long.parseLong(push.out().strip()));
  }

  private static String plot(WebDriver d, String attribute) {
    String v = d.findElement(By.id("rate-plot")).getAttribute(attribute);
    return v == null ? "-1" : v;
  }

  private static void type(WebDriverWait wait, String css, String text) {
    WebElement e = find(wait, css);
    e.clear();
    e.sendKeys(text);
  }

  private static WebElement find(WebDriverWait wait, String css) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  private static void flash(WebDriverWait wait, String prefix) {
    wait.until(ExpectedConditions.textMatches(By.id("flash"), Pattern.compile("^" + Pattern.quote(prefix))));
  }

  private static void screenshot(WebDriver driver, String name) throws Exception {
    Files.write(Path.of("target", name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }
}
