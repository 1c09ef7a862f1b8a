package org.ecpds.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.ecpds.testkit.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The operator's path through the monitor in headless Chromium, against a fake master. */
class MonitorBrowserTest {
  private static final String INSTALL = "chromium chromium-driver";

  @TempDir Path profile;
  private MonitorFixture fixture;
  private ChromeDriver driver;
  private WebDriverWait wait;

  @BeforeEach
  void start() throws Exception {
    // Fails (never skips) with "apt-get update && apt-get install -y chromium chromium-driver".
    Tools.require("/usr/bin/chromedriver", INSTALL);
    Tools.require("/usr/bin/chromium", INSTALL);
    fixture = new MonitorFixture();
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1280,900", "--ignore-certificate-errors",
        "--user-data-dir=" + profile.toAbsolutePath());
    driver = new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() throws Exception {
    if (driver != null) driver.quit();
    if (fixture != null) fixture.close();
  }

  @Test
  void operatorLogsInInspectsAndRequeues() throws Exception {
    String base = fixture.base();

    driver.get(base + "/");
    assertThat(driver.getCurrentUrl()).startsWith(base + "/login");

    login("wrong password");
    assertThat(find("#login-error").getText()).contains("Login failed");

    login(FakeMaster.PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/"));
    WebElement mover = find("table#movers tr.mover[data-name='" + FakeMaster.MOVER + "']");
    assertThat(mover.findElement(By.cssSelector("td.state")).getText()).isEqualTo("online");
    assertThat(mover.findElement(By.cssSelector("td.running")).getText()).isEqualTo("1 / 10");
    WebElement destination = find("table#destinations tr.destination[data-name='" + FakeMaster.DESTINATION + "']");
    assertThat(count(destination, "WAIT")).isEqualTo("1");
    assertThat(count(destination, "DONE")).isEqualTo("1");
    assertThat(count(destination, "RETR")).isEqualTo("0");
    assertThat(destination.findElement(By.cssSelector("td.state")).getText()).isEqualTo("Idle");
    assertThat(find("table#destinations th[data-status='WAIT']").getText()).isEqualTo("WAIT");

    // The live refresh replaces main#content in place within one period (5 s).
    new WebDriverWait(driver, Duration.ofSeconds(9))
        .until(ExpectedConditions.textMatches(By.id("live-state"), java.util.regex.Pattern.compile("^updated")));
    screenshot("monitor-home.png");
    find("table#destinations tr.destination td.name a").click();
    wait.until(ExpectedConditions.urlToBe(base + "/destination/" + FakeMaster.DESTINATION));
    find("#live-toggle").click(); // hold the table still while clicking in it

    WebElement done = find("tr.transfer[data-id='" + FakeMaster.DONE_ID + "']");
    assertThat(done.findElement(By.cssSelector("td.status")).getText()).isEqualTo("DONE Done");
    assertThat(find("tr.transfer[data-id='" + FakeMaster.WAIT_ID + "'] td.message").getText())
        .isEqualTo(FakeMaster.WAIT_MESSAGE);
    WebElement history = find("tr.history-row[data-id='" + FakeMaster.DONE_ID + "']");
    assertThat(history.isDisplayed()).isFalse();
    done.findElement(By.cssSelector("button.history-toggle")).click();
    assertThat(history.isDisplayed()).isTrue();
    assertThat(history.findElements(By.cssSelector("tr.entry td.h-status")))
        .extracting(WebElement::getText).containsExactly("WAIT", "EXEC", "DONE");

    find("tr.transfer[data-id='" + FakeMaster.WAIT_ID + "'] button.requeue").click();
    WebElement flash = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("flash")));
    assertThat(flash.getText()).startsWith("Transfer " + FakeMaster.WAIT_ID + ": requeue done");
    assertThat(fixture.master.actions).singleElement().satisfies(a -> {
      assertThat(a.getTransferId()).isEqualTo(FakeMaster.WAIT_ID);
      assertThat(a.getAction()).isEqualTo("requeue");
      assertThat(a.getUser()).isEqualTo(FakeMaster.USER);
    });

    find("tr.transfer[data-id='" + FakeMaster.DONE_ID + "'] button.history-toggle").click();
    screenshot("monitor-destination.png");
  }

  @Test
  void operatorHoldsAndReleasesTheDestinationAndChangesAPriority() throws Exception {
    String base = fixture.base();
    driver.get(base + "/destination/" + FakeMaster.DESTINATION);
    login(FakeMaster.PASSWORD);
    wait.until(ExpectedConditions.urlToBe(base + "/destination/" + FakeMaster.DESTINATION));
    find("#live-toggle").click(); // no background swap between a lookup and its click
    assertThat(stateAndButtons()).isEqualTo("Idle [Hold, Stop, Clean, Requeue all]");

    find("#destination-actions button[data-action='hold']").click();
    waitForFlash("Destination " + FakeMaster.DESTINATION + ": hold done, now Held.");
    assertThat(stateAndButtons()).isEqualTo("Held [Release, Clean]");

    find("#destination-actions button[data-action='release']").click();
    waitForFlash("Destination " + FakeMaster.DESTINATION + ": release done, now Idle.");
    assertThat(stateAndButtons()).isEqualTo("Idle [Hold, Stop, Clean, Requeue all]");
    assertThat(fixture.master.destinationActions).extracting(a -> a.getAction()).containsExactly("hold", "release");

    String row = "tr.transfer[data-id='" + FakeMaster.WAIT_ID + "'] ";
    assertThat(find(row + "td.priority").getText()).isEqualTo("50");
    WebElement input = find(row + "input.priority-input");
    input.clear();
    input.sendKeys("7");
    find(row + "button.priority").click();
    waitForFlash("Transfer " + FakeMaster.WAIT_ID + ": priority 7 done");
    wait.until(ExpectedConditions.textToBe(By.cssSelector(row + "td.priority"), "7"));
    assertThat(find(row + "input.priority-input").getAttribute("value")).isEqualTo("7");
    assertThat(fixture.master.actions).singleElement()
        .satisfies(a -> assertThat(a.getAction() + "=" + a.getPriority()).isEqualTo("priority=7"));
    screenshot("monitor-destination-actions.png");

    // Stop is destructive: dismissing the prompt sends nothing, accepting it sends the action.
    find("#destination-actions button[data-action='stop']").click();
    Alert prompt = wait.until(ExpectedConditions.alertIsPresent());
    assertThat(prompt.getText()).isEqualTo("Stop destination \u201c" + FakeMaster.DESTINATION + "\u201d?");
    prompt.dismiss();
    assertThat(fixture.master.destinationActions).hasSize(2);
    find("#destination-actions button[data-action='stop']").click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    waitForFlash("Destination " + FakeMaster.DESTINATION + ": stop done, now Stopped.");
    assertThat(stateAndButtons()).isEqualTo("Stopped [Restart, Clean]");
    // Exactly one stop reached the master: the dismissed prompt posted nothing.
    assertThat(fixture.master.destinationActions).extracting(a -> a.getAction())
        .containsExactly("hold", "release", "stop");
  }

  /** Waits (with the driver's deadline) for the flash of the page after a POST. */
  private void waitForFlash(String prefix) {
    wait.until(ExpectedConditions.textMatches(By.id("flash"),
        java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(prefix))));
  }

  /** "Label [Button, ...]" of the destination summary, read in one go from the current page. */
  private String stateAndButtons() {
    String state = find("#destination-summary dd.state").getText();
    return state + " " + driver.findElements(By.cssSelector("#destination-actions button")).stream()
        .map(WebElement::getText).toList();
  }

  /** Saved under monitor/target for people reviewing the UI. */
  private void screenshot(String name) throws Exception {
    Path shot = Path.of("target", name);
    Files.createDirectories(shot.getParent());
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
    assertThat(shot).isNotEmptyFile();
  }

  private void login(String password) {
    WebElement user = find("#user");
    user.clear();
    user.sendKeys(FakeMaster.USER);
    find("#password").sendKeys(password);
    find("#login-submit").click();
  }

  private WebElement find(String css) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  private static String count(WebElement destinationRow, String status) {
    return destinationRow.findElement(By.cssSelector("td.count[data-status='" + status + "']")).getText();
  }
}
