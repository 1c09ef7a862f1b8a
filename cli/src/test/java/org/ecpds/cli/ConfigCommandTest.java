package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ecpds config: bad arguments and unreadable input are usage errors (exit 2, one line), nothing is sent. */
class ConfigCommandTest {
  @TempDir Path tmp;

  private static void usage(CliRun r, String words) {
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLine()).startsWith("ecpds: ").contains(words).doesNotContain("\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void argumentsAreChecked() throws Exception {
    // -ecport 1 on loopback: were anything sent, the error would be a connection failure (exit 3), not a usage one
    usage(CliRun.of("config", "frobnicate", "-ecport", "1", "-user", "u", "-pass", "p"), "unknown action 'frobnicate'");
    usage(CliRun.of("config", "apply", "-ecport", "1", "-user", "u", "-pass", "p"), "needs a FILE");
    usage(CliRun.of("config", "export", "x.json", "-ecport", "1", "-user", "u", "-pass", "p"), "-o FILE");
    usage(CliRun.of("config", "export", "-dryrun", "-ecport", "1", "-user", "u", "-pass", "p"), "-dryrun is for config apply");
    usage(CliRun.of("config", "apply", tmp.resolve("absent.json").toString(), "-ecport", "1", "-user", "u", "-pass", "p"),
        "absent.json");
    Path notJson = Files.writeString(tmp.resolve("bad.json"), "{not json");
    usage(CliRun.of("config", "apply", notJson.toString(), "-ecport", "1", "-user", "u", "-pass", "p"),
        "is not a JSON document");
    usage(CliRun.of("config"), "export|apply");
  }

  @Test
  void aMasterThatIsNotThereIsAConnectionFailure() throws Exception {
    Path doc = Files.writeString(tmp.resolve("c.json"), "{\"version\":1}");
    CliRun r = CliRun.of("config", "apply", doc.toString(), "-echost", "127.0.0.1", "-ecport", "1", "-user", "u",
        "-pass", "p");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.CONNECT);
  }
}
