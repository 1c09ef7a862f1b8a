package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.ecpds.common.config.Config;
import org.ecpds.testkit.FreePorts;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The monitor against the real master: an operator holds and releases a destination and changes
 * a transfer's priority in headless Chromium; the page shows the master's state and exactly the
 * actions the lifecycle allows after each click, and REST agrees.
 */
class MonitorActionsEndToEndTest {
  @TempDir Path tmp;

  @Test
  void operatorHoldsReleasesAndReprioritises() throws Exception {
    Tools.require("/usr/bin/chromium", "chromium chromium-driver");
    Tools.require("/usr/bin/chromedriver", "chromium chromium-driver");
    try (Standalone sa = Standalone.start(TestConfig.empty().with("standalone.dataDir", tmp.resolve("data"))
        .with("master.rest.port", 0).with("mover.upload.port", 0).with("portal.sftp.port", -1).with("portal.https.port", -1).with("portal.s3.port", -1).with("portal.ftps.port", -1).with("portal.ftps.implicitPort", -1).with("monitor.port", 0)
        .with("master.bcryptCost", 4), System.out)) {
      Path cert = tmp.resolve("data/tls/cert.pem");
      String password = sa.master().generatedAdminPassword();
      Rest admin = new Rest(sa.master().restPort(), cert, "admin", password);
      admin.call("POST", "destination", Map.of("name", "OPS"));
      admin.call("POST", "host", Map.of("name", "ops-host", "transferMethod", "sftp", "address", "127.0.0.1",
          "port", FreePorts.next(), "login", "u", "password", "p"));
      admin.call("PUT", "destination/OPS/host/ops-host", Map.of("priority", 0));
      Path f = tmp.resolve("held.bin");
      StandaloneEndToEndTest.writeRandom(f, 1000, 3);
      JavaProcess.Result push = JavaProcess.run("org.ecpds.cli.Ecpds", List.of("-echost", "localhost", "-ecport",
          String.valueOf(sa.master().restPort()), "-cacert", cert.toString(), "-user", "admin", "-pass", password,
          "-destination", "OPS", "-source", f.toString(), "-standby", "-priority", "50"), tmp);
      assertThat(push.exit()).as(push.err()).isZero();
      long transfer = admin.transferOf(Long.parseLong(push.out().strip()));

      ChromeOptions options = new ChromeOptions();
      options.setBinary("/usr/bin/chromium");
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--window-size=1280,900", "--ignore-certificate-errors",
          "--user-data-dir=" + Files.createTempDirectory(tmp, "chrome"));
      WebDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
          .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        String page = "https://localhost:" + sa.monitor().port() + "/destination/OPS";
        driver.get(page);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("user"))).sendKeys("admin");
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.urlToBe(page));
        find(wait, "#live-toggle").click(); // no background refresh between a lookup and its click
        assertThat(stateAndButtons(driver, wait)).isEqualTo("Idle [Hold, Stop, Clean, Requeue all]");

        find(wait, "#destination-actions button[data-action='hold']").click();
        flash(wait, "Destination OPS: hold done");
        assertThat(stateAndButtons(driver, wait)).isEqualTo("Failed-admin [Release, Stop, Clean, Requeue all]");
        assertThat(admin.call("GET", "destination/OPS", null).at("/destination/state").asText()).isEqualTo("HOLD");

        find(wait, "#destination-actions button[data-action='release']").click();
        flash(wait, "Destination OPS: release done");
        assertThat(stateAndButtons(driver, wait)).isEqualTo("Idle [Hold, Stop, Clean, Requeue all]");
        assertThat(admin.call("GET", "destination/OPS", null).at("/destination/state").asText()).isEqualTo("WAIT");

        String row = "tr.transfer[data-id='" + transfer + "'] ";
        assertThat(find(wait, row + "td.priority").getText()).isEqualTo("50");
        assertThat(driver.findElements(By.cssSelector(row + "button.requeue"))).as("StandBy: no requeue").isEmpty();
        WebElement input = find(wait, row + "input.priority-input");
        input.clear();
        input.sendKeys("7");
        find(wait, row + "button.priority").click();
        flash(wait, "Transfer " + transfer + ": priority 7 done");
        wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td.priority"), "7"));
        assertThat(admin.call("GET", "transfer/" + transfer, null).at("/transfer/priority").asInt()).isEqualTo(7);
        Files.write(Path.of("target", "monitor-actions-real-master.png"),
            ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
      } finally {
        driver.quit();
      }
    }
  }

  private static WebElement find(WebDriverWait wait, String css) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  private static void flash(WebDriverWait wait, String prefix) {
    wait.until(ExpectedConditions.textMatches(By.id("flash"), Pattern.compile("^" + Pattern.quote(prefix))));
  }

  private static String stateAndButtons(WebDriver driver, WebDriverWait wait) {
    String state = find(wait, "#destination-summary dd.state").getText();
    return state + " " + driver.findElements(By.cssSelector("#destination-actions button")).stream()
        .map(WebElement::getText).toList();
  }
}
