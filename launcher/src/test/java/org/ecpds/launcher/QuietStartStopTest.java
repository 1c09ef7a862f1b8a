package org.ecpds.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal start and SIGTERM of the standalone (Main in its own JVM, with the production logging
 * configuration): nothing at WARN or above, no stack trace, and one line saying it stopped.
 */
class QuietStartStopTest {
  /** logback's WARN/ERROR, java.util.logging's WARNING/SEVERE (Jersey logs there), or a stack trace. */
  private static final Pattern NOT_QUIET = Pattern.compile(
      "^\\S+ (WARN|ERROR) |^(WARNING|SEVERE): |^\\s+at [\\w.$]+\\(|Exception", Pattern.MULTILINE);

  @TempDir Path tmp;

  @Test
  void cleanStartAndStopLogNoWarningAndSayItStopped() throws Exception {
    Path cfg = tmp.resolve("ecpds.properties");
    Files.writeString(cfg, String.join("\n", "standalone.dataDir=" + tmp.resolve("ecpds-data"), "master.rest.port=0",
        "mover.upload.port=0", "portal.sftp.port=0", "portal.https.port=0", "portal.s3.port=0", "portal.ftps.port=0", "portal.ftps.implicitPort=0", "portal.ftp.passivePorts=0", "monitor.port=0", "master.bcryptCost=4", ""));
    Path log = tmp.resolve("standalone.log");
    ProcessBuilder pb = JavaProcess.builder("org.ecpds.launcher.Main", List.of("standalone", "--config", cfg.toString()), log);
    // the logging an operator gets (logback.xml), not the tests' logback-test.xml
    pb.command().add(1, "-Dlogback.configurationFile=logback.xml");
    Process p = pb.start();
    try {
      awaitLine(log, "ecpds standalone is running", p); // the last line of a complete start
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log);
    assertThat(out).contains("ecpds standalone is running");
    assertThat(NOT_QUIET.matcher(out).results().map(m -> m.group())).as(out).isEmpty();
    assertThat(out.lines().filter(l -> l.contains("INFO  org.ecpds.launcher.Main - ecpds standalone stopped (")))
        .as(out).hasSize(1);
  }

  private static void awaitLine(Path log, String text, Process p) throws Exception {
    org.ecpds.testkit.Conditions.await("'" + text + "' in the standalone's log", java.time.Duration.ofSeconds(120), () -> {
      if (Files.exists(log) && Files.readString(log).contains(text)) return true;
      if (!p.isAlive()) throw new AssertionError("standalone exited: " + Files.readString(log));
      return false;
    });
  }
}
